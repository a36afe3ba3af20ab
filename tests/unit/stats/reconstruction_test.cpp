// PCA reconstruction-error drift (core/stats/reconstruction.h) against an independent computation:
// tests/data/multivariate/make_reconstruction.py (scikit-learn SimpleImputer/StandardScaler, numpy SVD,
// run once with Debian's /usr/bin/python3) wrote reconstruction.json — the rows and the expected values.
// And the scenario the method exists for: two features whose correlation flips while each marginal stays
// the same alarm here and in no single-feature test.
#include "core/stats/reconstruction.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/stats/dataset_drift.h"
#include "tests/support/sampler.h"

namespace driftgate::stats {
namespace {

std::vector<FeatureRow> RowsOf(const nlohmann::json& array) {
  std::vector<FeatureRow> rows;
  for (const auto& object : array) {
    FeatureRow row;
    for (auto it = object.begin(); it != object.end(); ++it) {
      if (it.value().is_number()) {
        row.emplace_back(it.key(), it.value().get<double>());
      } else if (it.value().is_string()) {
        row.emplace_back(it.key(), it.value().get<std::string>());
      } else {
        row.emplace_back(it.key(), std::monostate{});
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<const FeatureRow*> Pointers(const std::vector<FeatureRow>& rows) {
  std::vector<const FeatureRow*> out;
  for (const auto& r : rows) out.push_back(&r);
  return out;
}

nlohmann::json Reference() {
  std::ifstream in(std::string(DRIFTGATE_TEST_DATA) + "/multivariate/reconstruction.json");
  return nlohmann::json::parse(in);
}

TEST(ReconstructionDrift, MatchesNumpyAndSklearn) {
  const auto ref = Reference();
  const auto reference = RowsOf(ref["reference"]);
  const auto window = RowsOf(ref["window"]);
  const auto model = ReconstructionDrift::Fit(Pointers(reference), {});
  ASSERT_TRUE(model);
  EXPECT_EQ(model->features(), ref["features"].get<std::vector<std::string>>());
  EXPECT_EQ(model->components(), ref["components"].get<std::size_t>());
  const auto chunks = ref["chunk_errors"].get<std::vector<double>>();
  ASSERT_EQ(model->chunk_errors().size(), chunks.size());
  for (std::size_t i = 0; i < chunks.size(); ++i) EXPECT_NEAR(model->chunk_errors()[i], chunks[i], 1e-9);
  EXPECT_NEAR(model->lower(), ref["lower"].get<double>(), 1e-9);
  EXPECT_NEAR(model->upper(), ref["upper"].get<double>(), 1e-9);
  const auto expected = ref["window_errors"].get<std::vector<double>>();
  const auto errors = model->Errors(Pointers(window));
  ASSERT_EQ(errors.size(), expected.size());
  for (std::size_t i = 0; i < errors.size(); ++i) EXPECT_NEAR(errors[i], expected[i], 1e-9) << i;
  const ReconstructionResult r = model->Judge(Pointers(window));
  EXPECT_NEAR(r.error, ref["window_error"].get<double>(), 1e-9);
  EXPECT_TRUE(r.alert);
  EXPECT_EQ(r.rows, window.size());
}

TEST(ReconstructionDrift, RefusesTooLittleToFit) {
  std::vector<FeatureRow> one_feature(100, FeatureRow{{"a", 1.0}});
  EXPECT_FALSE(ReconstructionDrift::Fit(Pointers(one_feature), {}));
  std::vector<FeatureRow> few(15, FeatureRow{{"a", 1.0}, {"b", 2.0}});
  EXPECT_FALSE(ReconstructionDrift::Fit(Pointers(few), {}));  // fewer than 2 * chunks rows
  ReconstructionParams bad;
  bad.variance = 1.0;
  std::vector<FeatureRow> many(100, FeatureRow{{"a", 1.0}, {"b", 2.0}});
  EXPECT_FALSE(ReconstructionDrift::Fit(Pointers(many), bad));
}

// x and y standard normal with correlation +0.8 on the reference and -0.8 in the window (each marginal
// N(0, 1) on both sides), plus two independent noise features.
std::vector<FeatureRow> Correlated(test_support::Sampler& gen, std::size_t n, double rho) {
  const auto z = [&gen] { return gen.Gaussian(0.0, 1.0); };
  std::vector<FeatureRow> rows;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = z();
    const double y = rho * x + std::sqrt(1 - rho * rho) * z();
    rows.push_back({{"noise1", z()}, {"noise2", z()}, {"x", x}, {"y", y}});
  }
  return rows;
}

std::map<std::string, Sample> Columns(const std::vector<FeatureRow>& rows) {
  std::map<std::string, Sample> out;
  for (const auto& row : rows) {
    for (const auto& [name, value] : row) out[name].numbers.push_back(std::get<double>(value));
  }
  return out;
}

TEST(ReconstructionDrift, FlippedCorrelationAlarmsWhereNoSingleFeatureTestDoes) {
  test_support::Sampler gen(7);
  const auto reference = Correlated(gen, 5000, 0.8);
  const auto same = Correlated(gen, 5000, 0.8);
  const auto flipped = Correlated(gen, 5000, -0.8);
  const auto model = ReconstructionDrift::Fit(Pointers(reference), {});
  ASSERT_TRUE(model);
  EXPECT_FALSE(model->Judge(Pointers(same)).alert);
  const ReconstructionResult r = model->Judge(Pointers(flipped));
  EXPECT_TRUE(r.alert) << r.error << " not in [" << r.lower << ", " << r.upper << "]";
  // Every single-feature test with the defaults a drift check uses (5,000 rows: wasserstein_normed), and
  // ks as well: none of the four features drifts.
  for (const bool ks : {false, true}) {
    DatasetDriftOptions options;
    if (ks) {
      for (const char* f : {"noise1", "noise2", "x", "y"}) options.tests[f] = stats::Test::kKs;
    }
    const auto result = CheckDataset(Columns(reference), Columns(flipped), options);
    ASSERT_TRUE(result.ok());
    for (const auto& f : result->features) EXPECT_FALSE(f.result.drift) << f.feature << " ks=" << ks;
    EXPECT_FALSE(result->drift);
  }
}

}  // namespace
}  // namespace driftgate::stats
