// Direct loss estimation (core/dle): the XGBoost C API fit against the xgboost Python package on the same
// data and parameters, and the calibration and estimate against numpy — both computed by
// tests/data/dle/make_reference.py (values in tests/data/dle/dle_reference.json).
#include "core/dle/dle.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace driftgate::dle {
namespace {

using nlohmann::json;

struct Sample {
  std::vector<FeatureRow> rows;
  std::vector<double> predictions;
  std::vector<double> errors;
};

// The reference and window rows of dle_data.csv (set,x0,x1,x2,x3,prediction,error).
std::pair<Sample, Sample> ReadData() {
  std::ifstream in(std::string(DRIFTGATE_TEST_DATA) + "/dle/dle_data.csv");
  std::string line;
  std::getline(in, line);
  Sample reference, window;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string set, cell;
    std::getline(ss, set, ',');
    std::vector<double> v;
    while (std::getline(ss, cell, ',')) v.push_back(std::stod(cell));
    Sample& s = set == "reference" ? reference : window;
    s.rows.push_back({{"x0", v[0]}, {"x1", v[1]}, {"x2", v[2]}, {"x3", v[3]}});
    s.predictions.push_back(v[4]);
    s.errors.push_back(v[5]);
  }
  return {std::move(reference), std::move(window)};
}

json ReadReference() {
  std::ifstream in(std::string(DRIFTGATE_TEST_DATA) + "/dle/dle_reference.json");
  return json::parse(in);
}

std::vector<const FeatureRow*> Pointers(const Sample& s) {
  std::vector<const FeatureRow*> out;
  for (const auto& r : s.rows) out.push_back(&r);
  return out;
}

void ExpectNear(double actual, double expected, const std::string& what) {
  EXPECT_NEAR(actual, expected, 1e-9 * std::max(1.0, std::abs(expected))) << what;
}

DleModel FitReference(const Sample& reference) {
  const auto rows = Pointers(reference);
  Encoding encoding = Encoding::Build(rows);
  const Matrix x = encoding.Encode(rows, reference.predictions);
  auto model = Fit(std::move(encoding), x, reference.errors, DleParams{});
  EXPECT_TRUE(model.ok()) << model.error().message;
  return std::move(model).value();
}

TEST(Dle, FitMatchesTheXgboostPythonPackageAndNumpy) {
  const auto [reference, window] = ReadData();
  ASSERT_EQ(reference.rows.size(), 1000u);
  const json want = ReadReference();
  const DleModel model = FitReference(reference);
  EXPECT_EQ(model.encoding.names, (std::vector<std::string>{"x0", "x1", "x2", "x3"}));

  const json& cal = want["calibration"];
  EXPECT_EQ(model.calibration.holdout, cal["holdout"].get<std::size_t>());
  ExpectNear(model.calibration.abs_scale, cal["abs_scale"], "abs_scale");
  ExpectNear(model.calibration.sq_scale, cal["sq_scale"], "sq_scale");
  ExpectNear(model.calibration.abs_bias, cal["abs_bias"], "abs_bias");
  ExpectNear(model.calibration.sq_bias, cal["sq_bias"], "sq_bias");

  const Matrix w = model.encoding.Encode(Pointers(window), window.predictions);
  const auto abs_out = model.abs.Predict(w);
  const auto sq_out = model.sq.Predict(w);
  ASSERT_TRUE(abs_out.ok() && sq_out.ok());
  // Same library, same data, same parameters, one thread: the same floats.
  for (std::size_t i = 0; i < w.rows; ++i) {
    ASSERT_EQ((*abs_out)[i], want["window_abs_out"][i].get<float>()) << "row " << i;
    ASSERT_EQ((*sq_out)[i], want["window_sq_out"][i].get<float>()) << "row " << i;
  }
  const auto est = Estimate(model, w, 0.95);
  ASSERT_TRUE(est.ok());
  const json& e = want["estimate"];
  ExpectNear(est->mae.value, e["mae"][0], "mae");
  ExpectNear(est->mae.lower, e["mae"][1], "mae lower");
  ExpectNear(est->mae.upper, e["mae"][2], "mae upper");
  ExpectNear(est->rmse.value, e["rmse"][0], "rmse");
  ExpectNear(est->rmse.lower, e["rmse"][1], "rmse lower");
  ExpectNear(est->rmse.upper, e["rmse"][2], "rmse upper");
  EXPECT_EQ(est->mae.n, 300u);
  // And the realized errors of the shifted window lie inside.
  EXPECT_LE(est->mae.lower, want["realized"]["mae"].get<double>());
  EXPECT_GE(est->mae.upper, want["realized"]["mae"].get<double>());
}

TEST(Dle, FitIsDeterministicAndSurvivesItsSerialization) {
  const auto [reference, window] = ReadData();
  const DleModel a = FitReference(reference);
  const DleModel b = FitReference(reference);
  EXPECT_EQ(*a.abs.Save(), *b.abs.Save());
  EXPECT_EQ(*a.sq.Save(), *b.sq.Save());
  auto loaded = Booster::Load(*a.abs.Save());
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->features(), 5u);
  const Matrix w = a.encoding.Encode(Pointers(window), window.predictions);
  EXPECT_EQ(*loaded->Predict(w), *a.abs.Predict(w));
}

TEST(Dle, LoadRejectsBytesThatAreNotAModel) {
  auto loaded = Booster::Load("not a model");
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find("xgboost"), std::string::npos);
}

TEST(Dle, FitRefusesTooSmallAReference) {
  const auto [reference, window] = ReadData();
  Sample small;
  small.rows.assign(reference.rows.begin(), reference.rows.begin() + 50);
  small.predictions.assign(reference.predictions.begin(), reference.predictions.begin() + 50);
  small.errors.assign(reference.errors.begin(), reference.errors.begin() + 50);
  const auto rows = Pointers(small);
  Encoding encoding = Encoding::Build(rows);
  const Matrix x = encoding.Encode(rows, small.predictions);
  EXPECT_FALSE(Fit(std::move(encoding), x, small.errors, DleParams{}).ok());
}

TEST(DleEncoding, CategoriesAreIndexedAndUnseenOrMistypedValuesAreMissing) {
  const std::vector<FeatureRow> ref = {{{"color", std::string("red")}, {"size", 1.5}},
                                       {{"color", std::string("blue")}, {"size", 2.0}},
                                       {{"color", 3.0}, {"size", std::monostate{}}}};
  std::vector<const FeatureRow*> ref_rows;
  for (const auto& r : ref) ref_rows.push_back(&r);
  const Encoding e = Encoding::Build(ref_rows);
  ASSERT_EQ(e.names, (std::vector<std::string>{"color", "size"}));
  EXPECT_EQ(e.categories[0], (std::vector<std::string>{"3", "blue", "red"}));
  EXPECT_TRUE(e.categories[1].empty());
  // Another order, an unseen category, a string in a numeric column, an unknown feature.
  const std::vector<FeatureRow> win = {{{"size", 4.0}, {"color", std::string("red")}},
                                       {{"color", std::string("green")}, {"size", std::string("big")}},
                                       {{"other", 1.0}, {"color", 3.0}}};
  std::vector<const FeatureRow*> win_rows;
  for (const auto& r : win) win_rows.push_back(&r);
  const std::vector<double> preds = {0.5, NAN, 2.0};
  const Matrix m = e.Encode(win_rows, preds);
  ASSERT_EQ(m.cols, 3u);
  EXPECT_EQ(m.At(0, 0), 2.0f);
  EXPECT_EQ(m.At(0, 1), 4.0f);
  EXPECT_EQ(m.At(0, 2), 0.5f);
  EXPECT_TRUE(std::isnan(m.At(1, 0)));
  EXPECT_TRUE(std::isnan(m.At(1, 1)));
  EXPECT_TRUE(std::isnan(m.At(1, 2)));
  EXPECT_EQ(m.At(2, 0), 0.0f);
  EXPECT_TRUE(std::isnan(m.At(2, 1)));
}

TEST(DleEstimate, CleansTheMomentsAndWidensWithTheCalibrationsBias) {
  // a = -1 -> 0; s = 0.5 < a^2 = 1 -> 1.
  const std::vector<float> a = {-1.0f, 1.0f}, s = {4.0f, 0.5f};
  Calibration tight{.holdout = 100, .abs_scale = 1.0, .sq_scale = 2.0, .abs_bias = 0.0, .sq_bias = 0.0};
  const auto e = EstimateFrom(a, s, tight, 0.95);
  ASSERT_TRUE(e);
  EXPECT_DOUBLE_EQ(e->mae.value, 0.5);
  EXPECT_DOUBLE_EQ(e->rmse.value, std::sqrt(2.5));
  Calibration biased = tight;
  biased.abs_bias = 0.01;
  const auto wide = EstimateFrom(a, s, biased, 0.95);
  EXPECT_GT(wide->mae.upper - wide->mae.lower, e->mae.upper - e->mae.lower);
  EXPECT_GE(e->mae.lower, 0.0);
  EXPECT_FALSE(EstimateFrom({}, {}, tight, 0.95));
}

}  // namespace
}  // namespace driftgate::dle
