#include "core/stats/dataset_drift.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "tests/unit/stats/lcg.h"

namespace driftgate::stats {
namespace {

Sample Numbers(std::vector<double> values) { return Sample{std::move(values), {}, false}; }

Sample Repeat(std::initializer_list<std::pair<const char*, int>> counts) {
  Sample sample{{}, {}, true};
  for (const auto& [label, count] : counts) sample.labels.insert(sample.labels.end(), count, label);
  return sample;
}

// Four features: two drift (amount: KS, big shift; plan: chi2 on categories), two do not.
struct Dataset {
  std::map<std::string, Sample> reference;
  std::map<std::string, Sample> current;
};

Dataset FourFeatures() {
  Dataset d;
  d.reference["amount"] = Numbers(testdata::Bells(1, 300));
  d.current["amount"] = Numbers(testdata::Bells(2, 300, 0.5));
  d.reference["age"] = Numbers(testdata::Bells(3, 300));
  d.current["age"] = Numbers(testdata::Bells(4, 300));
  d.reference["plan"] = Repeat({{"basic", 50}, {"pro", 30}, {"team", 20}});
  d.current["plan"] = Repeat({{"basic", 20}, {"pro", 30}, {"team", 50}});
  d.reference["country"] = Repeat({{"DE", 50}, {"FR", 50}});
  d.current["country"] = Repeat({{"DE", 49}, {"FR", 51}});
  return d;
}

TEST(CheckDataset, UsesDefaultTestsAndRanksMostDriftedFirst) {
  const Dataset d = FourFeatures();
  const Result<DatasetDrift> result = CheckDataset(d.reference, d.current);
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(result->features.size(), 4u);
  EXPECT_EQ(result->features[0].result.test, stats::Test::kKs);  // amount: p ~ 1e-17
  EXPECT_EQ(result->features[0].feature, "amount");
  EXPECT_EQ(result->features[1].feature, "plan");  // chi2, p ~ 1e-5
  EXPECT_EQ(result->features[1].result.test, stats::Test::kChi2);
  EXPECT_TRUE(result->features[1].result.drift);
  EXPECT_FALSE(result->features[2].result.drift);
  EXPECT_FALSE(result->features[3].result.drift);
  EXPECT_GE(result->features[2].score, result->features[3].score);
  EXPECT_EQ(result->drifted, 2u);
  EXPECT_DOUBLE_EQ(result->share, 0.5);
  EXPECT_TRUE(result->drift);  // 2 of 4 >= 0.5
}

TEST(CheckDataset, ShareAboveTheDriftedFractionGivesNoDatasetDrift) {
  const Dataset d = FourFeatures();
  DatasetDriftOptions options;
  options.drift_share = 0.75;
  const Result<DatasetDrift> result = CheckDataset(d.reference, d.current, options);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->drifted, 2u);
  EXPECT_FALSE(result->drift);
}

TEST(CheckDataset, OverridesTestAndThresholdPerFeature) {
  const Dataset d = FourFeatures();
  DatasetDriftOptions options;
  options.tests["age"] = stats::Test::kPsi;
  options.thresholds["age"] = 1e-6;  // any psi > 0 drifts
  const Result<DatasetDrift> result = CheckDataset(d.reference, d.current, options);
  ASSERT_TRUE(result.ok());
  const auto age = std::find_if(result->features.begin(), result->features.end(),
                                [](const FeatureDrift& f) { return f.feature == "age"; });
  ASSERT_NE(age, result->features.end());
  EXPECT_EQ(age->result.test, stats::Test::kPsi);
  EXPECT_EQ(age->result.threshold, 1e-6);
  EXPECT_TRUE(age->result.drift);
  EXPECT_EQ(result->drifted, 3u);
}

TEST(CheckDataset, ScoresAreThresholdOverPValueAndStatisticOverThreshold) {
  TestResult p_test{stats::Test::kKs, 0.3, 0.01, 0.05, true};
  EXPECT_DOUBLE_EQ(DriftScore(p_test), 5.0);
  TestResult distance{stats::Test::kPsi, 0.25, std::nullopt, 0.1, true};
  EXPECT_DOUBLE_EQ(DriftScore(distance), 2.5);
  TestResult zero_p{stats::Test::kKs, 1.0, 0.0, 0.05, true};
  EXPECT_TRUE(std::isinf(DriftScore(zero_p)));
}

TEST(CheckDataset, RejectsMismatchedFeaturesNamingThem) {
  Dataset d = FourFeatures();
  d.current.erase("plan");
  const Result<DatasetDrift> missing = CheckDataset(d.reference, d.current);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().field, "features.plan");

  d = FourFeatures();
  d.current["extra"] = Numbers({1.0});
  EXPECT_EQ(CheckDataset(d.reference, d.current).error().field, "features.extra");

  d = FourFeatures();
  DatasetDriftOptions options;
  options.tests["plan"] = stats::Test::kKs;  // not applicable to categories
  const Result<DatasetDrift> bad = CheckDataset(d.reference, d.current, options);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "features.plan");
}

TEST(CheckDataset, RejectsEmptyDatasetAndBadShare) {
  EXPECT_FALSE(CheckDataset({}, {}).ok());
  const Dataset d = FourFeatures();
  for (double share : {0.0, 1.5, std::nan("")}) {
    DatasetDriftOptions options;
    options.drift_share = share;
    EXPECT_EQ(CheckDataset(d.reference, d.current, options).error().field, "drift_share") << share;
  }
}

}  // namespace
}  // namespace driftgate::stats
