// Multiclass CBPE (core/kpi/cbpe_multiclass.h) against an independent computation:
// tests/data/cbpe/make_multiclass.py (scikit-learn IsotonicRegression per class, the expected confusion
// matrix with numpy, standard errors by numerical differentiation; run once with Debian's /usr/bin/python3)
// wrote multiclass.json. And the scenario CBPE exists for: under covariate shift with an unchanged concept
// the realized accuracy lies inside the estimated interval.
#include "core/kpi/cbpe_multiclass.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <tuple>

#include "core/kpi/intervals.h"
#include "tests/support/sampler.h"

namespace driftgate::kpi {
namespace {

nlohmann::json Reference() {
  std::ifstream in(std::string(DRIFTGATE_TEST_DATA) + "/cbpe/multiclass.json");
  return nlohmann::json::parse(in);
}

std::vector<double> Flat(const nlohmann::json& rows) {
  std::vector<double> out;
  for (const auto& row : rows) {
    for (const auto& v : row) out.push_back(v.get<double>());
  }
  return out;
}

void ExpectMatches(const std::optional<Estimate>& e, const nlohmann::json& want, double z,
                   bool with_calibration, const std::string& name) {
  ASSERT_TRUE(e) << name;
  EXPECT_NEAR(e->value, want["value"].get<double>(), 1e-9) << name;
  const double se = want[with_calibration ? "se_total" : "se_label"].get<double>();
  // Numerical derivatives in the script: relative agreement to 1e-6.
  EXPECT_NEAR((e->upper - e->lower) / 2.0, z * se, 1e-6 * z * se) << name;
}

TEST(MulticlassCbpe, MatchesSklearnCalibrationAndExpectedConfusion) {
  const auto ref = Reference();
  const auto classes = ref["classes"].get<std::vector<std::string>>();
  const auto labels = ref["reference"]["labels"].get<std::vector<std::size_t>>();
  const auto cal = MulticlassCalibration::Fit(classes, Flat(ref["reference"]["scores"]), labels);
  ASSERT_TRUE(cal);
  const auto& probe = ref["probe"];
  for (std::size_t i = 0; i < probe["scores"].size(); ++i) {
    const auto p = cal->Predict(probe["scores"][i].get<std::vector<double>>());
    for (std::size_t k = 0; k < p.size(); ++k)
      EXPECT_NEAR(p[k], probe["calibrated"][i][k].get<double>(), 1e-12);
  }
  std::vector<MulticlassInput> window;
  const auto& w = ref["window"];
  for (std::size_t i = 0; i < w["predicted"].size(); ++i) {
    window.push_back({.predicted = w["predicted"][i].get<std::size_t>(),
                      .scores = w["scores"][i].get<std::vector<double>>()});
  }
  const double z = NormalCritical(0.95);
  for (const bool with_calibration : {false, true}) {
    const auto e = EstimateMulticlass(*cal, window, 0.95, with_calibration);
    const auto& want = ref["expected"];
    ExpectMatches(e.accuracy, want["accuracy"], z, with_calibration, "accuracy");
    ExpectMatches(e.macro_f1, want["macro_f1"], z, with_calibration, "macro_f1");
    ExpectMatches(e.weighted_f1, want["weighted_f1"], z, with_calibration, "weighted_f1");
    ASSERT_EQ(e.precision.size(), 3u);
    for (std::size_t k = 0; k < 3; ++k) {
      ExpectMatches(e.precision[k], want["precision_" + std::to_string(k)], z, with_calibration, "precision");
      ExpectMatches(e.recall[k], want["recall_" + std::to_string(k)], z, with_calibration, "recall");
    }
  }
}

TEST(MulticlassCbpe, NeedsEveryClassCalibratable) {
  // Class "c" never occurs in the labels: its one-vs-rest fit has no positive.
  const std::vector<double> scores{0.7, 0.2, 0.1, 0.2, 0.7, 0.1, 0.6, 0.3, 0.1, 0.3, 0.6, 0.1};
  const std::vector<std::size_t> labels{0, 1, 0, 1};
  EXPECT_FALSE(MulticlassCalibration::Fit({"a", "b", "c"}, scores, labels));
  EXPECT_FALSE(MulticlassCalibration::Fit({"a", "b", "c"}, scores, std::vector<std::size_t>{0, 1}));
}

// Three classes over x in R^2: the concept P(y | x) = softmax(W x) never changes, the model's scores are
// the miscalibrated softmax(1.6 W x + b), it predicts their argmax. Reference x ~ N(0, I); each window
// moves x (covariate shift), which changes the accuracy; CBPE must follow it.
struct Stream {
  test_support::Sampler gen{20261207};

  static std::vector<double> Softmax(const std::array<double, 3>& z) {
    const double m = std::max({z[0], z[1], z[2]});
    std::vector<double> p{std::exp(z[0] - m), std::exp(z[1] - m), std::exp(z[2] - m)};
    const double s = p[0] + p[1] + p[2];
    for (double& v : p) v /= s;
    return p;
  }
  // (scores, predicted, true class)
  std::tuple<std::vector<double>, std::size_t, std::size_t> Draw(double mx, double my) {
    const double x = gen.Gaussian(mx, 1.0), y = gen.Gaussian(my, 1.0);
    const std::array<double, 3> logit{2.0 * x, -x + 1.5 * y, -x - 1.5 * y};
    const auto truth = Softmax(logit);
    auto scores = Softmax({1.6 * logit[0] + 0.3, 1.6 * logit[1], 1.6 * logit[2] - 0.3});
    const double u = gen.Uniform();
    const std::size_t actual = u < truth[0] ? 0 : (u < truth[0] + truth[1] ? 1 : 2);
    const auto predicted =
        static_cast<std::size_t>(std::max_element(scores.begin(), scores.end()) - scores.begin());
    return {std::move(scores), predicted, actual};
  }
};

TEST(MulticlassCbpe, RealizedAccuracyInsideTheIntervalUnderCovariateShift) {
  Stream stream;
  std::vector<double> scores;
  std::vector<std::size_t> labels;
  for (int i = 0; i < 3000; ++i) {
    auto [s, predicted, actual] = stream.Draw(0.0, 0.0);
    scores.insert(scores.end(), s.begin(), s.end());
    labels.push_back(actual);
  }
  const auto cal = MulticlassCalibration::Fit({"cat", "dog", "emu"}, scores, labels);
  ASSERT_TRUE(cal);
  const std::vector<std::pair<double, double>> shifts{
      {0.0, 0.0}, {0.8, -0.5}, {-0.6, 0.0}, {0.0, 1.2}, {-1.0, -1.0}};
  int inside = 0;
  double lowest = 1.0, highest = 0.0;
  for (const auto& [mx, my] : shifts) {
    std::vector<MulticlassInput> window;
    int correct = 0;
    for (int i = 0; i < 1000; ++i) {
      auto [s, predicted, actual] = stream.Draw(mx, my);
      correct += predicted == actual ? 1 : 0;
      window.push_back({.predicted = predicted, .scores = std::move(s)});
    }
    const double realized = correct / 1000.0;
    const auto e = EstimateMulticlass(*cal, window, 0.95);
    ASSERT_TRUE(e.accuracy);
    inside += (e.accuracy->lower <= realized && realized <= e.accuracy->upper) ? 1 : 0;
    lowest = std::min(lowest, realized);
    highest = std::max(highest, realized);
    std::printf("shift (%.1f, %.1f): realized %.4f estimated %.4f [%.4f, %.4f]\n", mx, my, realized,
                e.accuracy->value, e.accuracy->lower, e.accuracy->upper);
  }
  EXPECT_GE(inside, 4);
  EXPECT_GT(highest - lowest, 0.05) << "the shifts must move the accuracy for the test to mean anything";
}

}  // namespace
}  // namespace driftgate::kpi
