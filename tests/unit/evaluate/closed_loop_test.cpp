// The closed-loop rule (core/evaluate/closed_loop.h): a retrain improved the model when every KPI that
// breached is back on the right side of its threshold, by value, in the new version's first full window.
#include "core/evaluate/closed_loop.h"

#include <gtest/gtest.h>

#include <vector>

namespace driftgate::evaluate {
namespace {

KpiResult Result(kpi::Metric metric, double value) {
  KpiResult k;
  k.metric = metric;
  k.estimate.value = value;
  k.estimate.lower = value - 0.05;
  k.estimate.upper = value + 0.05;
  k.estimate.n = 1000;
  return k;
}

const std::vector<BreachedKpi> kAccuracyBreach = {{.metric = "accuracy", .threshold = 0.85, .is_min = true}};

TEST(ClosedLoop, MinimumKpiBackAboveItsThresholdImproved) {
  const std::vector<KpiResult> window = {Result(kpi::Metric::kAccuracy, 0.90)};
  EXPECT_EQ(JudgeRetrain(kAccuracyBreach, window), RetrainOutcome::kImproved);
}

TEST(ClosedLoop, ValueDecidesNotTheInterval) {
  // Exactly at the threshold is the right side, though the interval reaches below it.
  EXPECT_EQ(JudgeRetrain(kAccuracyBreach, std::vector<KpiResult>{Result(kpi::Metric::kAccuracy, 0.85)}),
            RetrainOutcome::kImproved);
  EXPECT_EQ(JudgeRetrain(kAccuracyBreach, std::vector<KpiResult>{Result(kpi::Metric::kAccuracy, 0.8499)}),
            RetrainOutcome::kDidNotHelp);
}

TEST(ClosedLoop, MaximumKpiMustBeAtOrBelowItsThreshold) {
  const std::vector<BreachedKpi> breach = {{.metric = "mae", .threshold = 2.0, .is_min = false}};
  EXPECT_EQ(JudgeRetrain(breach, std::vector<KpiResult>{Result(kpi::Metric::kMae, 1.5)}),
            RetrainOutcome::kImproved);
  EXPECT_EQ(JudgeRetrain(breach, std::vector<KpiResult>{Result(kpi::Metric::kMae, 2.5)}),
            RetrainOutcome::kDidNotHelp);
}

TEST(ClosedLoop, EveryBreachedKpiMustRecover) {
  const std::vector<BreachedKpi> breach = {{.metric = "accuracy", .threshold = 0.85, .is_min = true},
                                           {.metric = "recall", .threshold = 0.7, .is_min = true}};
  const std::vector<KpiResult> window = {Result(kpi::Metric::kAccuracy, 0.9),
                                         Result(kpi::Metric::kRecall, 0.6)};
  EXPECT_EQ(JudgeRetrain(breach, window), RetrainOutcome::kDidNotHelp);
}

TEST(ClosedLoop, BreachedKpiMissingFromTheWindowDidNotHelp) {
  const std::vector<KpiResult> window = {Result(kpi::Metric::kRecall, 0.9)};
  EXPECT_EQ(JudgeRetrain(kAccuracyBreach, window), RetrainOutcome::kDidNotHelp);
}

TEST(ClosedLoop, NoBreachNoJudgement) {
  EXPECT_FALSE(JudgeRetrain({}, std::vector<KpiResult>{Result(kpi::Metric::kAccuracy, 0.9)}).has_value());
  EXPECT_EQ(RetrainOutcomeName(RetrainOutcome::kDidNotHelp), "did_not_help");
}

}  // namespace
}  // namespace driftgate::evaluate
