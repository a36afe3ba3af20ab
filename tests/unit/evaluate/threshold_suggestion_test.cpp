// The threshold rule of core/evaluate/threshold_suggestion.h on hand-made estimates.
#include "core/evaluate/threshold_suggestion.h"

#include <gtest/gtest.h>

#include <limits>

namespace driftgate::evaluate {
namespace {

using kpi::Estimate;
using kpi::Metric;

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(ThresholdSuggestion, HigherIsBetterGetsAMinimumBelowTheLowerBound) {
  const auto s =
      SuggestThreshold(Metric::kAccuracy, Estimate{.value = 0.9, .lower = 0.88, .upper = 0.92, .n = 1000},
                       Tolerance{.absolute = 0.03});
  ASSERT_TRUE(s.threshold);
  EXPECT_DOUBLE_EQ(*s.threshold->min, 0.85);
  EXPECT_FALSE(s.threshold->max);
  EXPECT_EQ(s.rule, "min = lower - 0.03 = 0.88 - 0.03");
}

TEST(ThresholdSuggestion, LowerIsBetterGetsAMaximumAboveTheUpperBound) {
  const auto s = SuggestThreshold(Metric::kMae, Estimate{.value = 2.0, .lower = 1.5, .upper = 2.5, .n = 50},
                                  Tolerance{.relative = 0.2});
  ASSERT_TRUE(s.threshold);
  EXPECT_DOUBLE_EQ(*s.threshold->max, 3.0);
  EXPECT_EQ(s.rule, "max = upper * (1 + 0.2) = 2.5 * 1.2");
}

TEST(ThresholdSuggestion, R2MayGoNegativeButScoresStopAtTheirFloor) {
  const auto r2 =
      SuggestThreshold(Metric::kR2, Estimate{.value = 0.01, .lower = -0.05, .upper = 0.07}, Tolerance{});
  ASSERT_TRUE(r2.threshold);
  EXPECT_DOUBLE_EQ(*r2.threshold->min, -0.07);
  const auto f1 =
      SuggestThreshold(Metric::kF1, Estimate{.value = 0.05, .lower = 0.01, .upper = 0.09}, Tolerance{});
  EXPECT_FALSE(f1.threshold);
  EXPECT_NE(f1.rule.find("floor"), std::string::npos) << f1.rule;
}

TEST(ThresholdSuggestion, NoThresholdWithoutAFiniteFarBoundOrAnEstimate) {
  EXPECT_FALSE(
      SuggestThreshold(Metric::kR2, Estimate{.value = 0.5, .lower = -kInf, .upper = 1.0}, {}).threshold);
  EXPECT_FALSE(
      SuggestThreshold(Metric::kLogLoss, Estimate{.value = 0.3, .lower = 0.0, .upper = kInf}, {}).threshold);
  const auto none = SuggestThreshold(Metric::kRocAuc, std::nullopt, {});
  EXPECT_FALSE(none.threshold);
  EXPECT_FALSE(none.estimate);
}

TEST(ThresholdSuggestion, EveryMetricOfTheTaskOnce) {
  EXPECT_EQ(TaskMetrics(kpi::Task::kBinary).size(), 6u);
  EXPECT_EQ(TaskMetrics(kpi::Task::kMulticlass),
            (std::vector<Metric>{Metric::kAccuracy, Metric::kMacroF1, Metric::kWeightedF1}));
  EXPECT_EQ(TaskMetrics(kpi::Task::kRegression),
            (std::vector<Metric>{Metric::kMae, Metric::kRmse, Metric::kMape, Metric::kR2}));
  // Over pairs: one suggestion per metric, the value kpi::Compute gives.
  std::vector<kpi::Pair> pairs;
  for (int i = 0; i < 10; ++i)
    pairs.push_back({.predicted_value = 1.0 * i, .actual_value = 1.0 * i + (i % 2)});
  const auto all = SuggestThresholds(kpi::Task::kRegression, pairs, 0.95, {});
  ASSERT_EQ(all.size(), 4u);
  EXPECT_DOUBLE_EQ(all[0].estimate->value, 0.5);  // mae
  EXPECT_TRUE(all[0].threshold && all[0].threshold->max);
}

}  // namespace
}  // namespace driftgate::evaluate
