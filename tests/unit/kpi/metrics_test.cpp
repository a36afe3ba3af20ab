// Names, applicability and the guards of kpi::Compute (core/kpi/metrics.h).
#include "core/kpi/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "tests/unit/kpi/kpi_test_data.h"

namespace driftgate::kpi {
namespace {

using testdata::Classified;

constexpr Metric kAllMetrics[] = {
    Metric::kAccuracy, Metric::kPrecision,  Metric::kRecall, Metric::kF1,   Metric::kRocAuc, Metric::kLogLoss,
    Metric::kMacroF1,  Metric::kWeightedF1, Metric::kMae,    Metric::kRmse, Metric::kMape,   Metric::kR2};

TEST(Metrics, EveryMetricNameRoundTrips) {
  for (const Metric metric : kAllMetrics) {
    EXPECT_EQ(ParseMetric(MetricName(metric)), metric) << MetricName(metric);
  }
  EXPECT_EQ(ParseMetric("roc_auc"), Metric::kRocAuc);
  EXPECT_FALSE(ParseMetric("auc").has_value());
  EXPECT_FALSE(ParseMetric("Accuracy").has_value());
}

TEST(Metrics, TaskNamesAreTheApiNames) {
  EXPECT_EQ(ParseTask("binary_classification"), Task::kBinary);
  EXPECT_EQ(ParseTask("multiclass_classification"), Task::kMulticlass);
  EXPECT_EQ(ParseTask("regression"), Task::kRegression);
  EXPECT_FALSE(ParseTask("binary").has_value());
  EXPECT_EQ(TaskName(Task::kMulticlass), "multiclass_classification");
}

TEST(Metrics, ApplicabilityFollowsTheApiList) {
  EXPECT_TRUE(MetricAppliesTo(Metric::kAccuracy, Task::kBinary));
  EXPECT_TRUE(MetricAppliesTo(Metric::kAccuracy, Task::kMulticlass));
  EXPECT_FALSE(MetricAppliesTo(Metric::kAccuracy, Task::kRegression));
  EXPECT_TRUE(MetricAppliesTo(Metric::kRocAuc, Task::kBinary));
  EXPECT_FALSE(MetricAppliesTo(Metric::kF1, Task::kMulticlass));
  EXPECT_TRUE(MetricAppliesTo(Metric::kMacroF1, Task::kMulticlass));
  EXPECT_FALSE(MetricAppliesTo(Metric::kMacroF1, Task::kBinary));
  EXPECT_TRUE(MetricAppliesTo(Metric::kR2, Task::kRegression));
  EXPECT_FALSE(MetricAppliesTo(Metric::kMae, Task::kBinary));
}

TEST(Metrics, LossesAreLowerIsBetter) {
  for (const Metric metric : {Metric::kLogLoss, Metric::kMae, Metric::kRmse, Metric::kMape}) {
    EXPECT_FALSE(HigherIsBetter(metric)) << MetricName(metric);
  }
  for (const Metric metric : {Metric::kAccuracy, Metric::kPrecision, Metric::kRecall, Metric::kF1,
                              Metric::kRocAuc, Metric::kMacroF1, Metric::kWeightedF1, Metric::kR2}) {
    EXPECT_TRUE(HigherIsBetter(metric)) << MetricName(metric);
  }
}

TEST(Metrics, ComputeIsUndefinedOnAnEmptyWindow) {
  for (const Metric metric : kAllMetrics) {
    for (const Task task : {Task::kBinary, Task::kMulticlass, Task::kRegression}) {
      EXPECT_FALSE(Compute(metric, task, {}, 0.95).has_value()) << MetricName(metric);
    }
  }
}

TEST(Metrics, ComputeRefusesAMetricOfAnotherTaskAndALevelOutsideZeroOne) {
  const std::vector<Pair> pairs = {Classified("1", "1"), Classified("0", "1")};
  EXPECT_TRUE(Compute(Metric::kAccuracy, Task::kBinary, pairs, 0.95).has_value());
  EXPECT_FALSE(Compute(Metric::kMae, Task::kBinary, pairs, 0.95).has_value());
  EXPECT_FALSE(Compute(Metric::kMacroF1, Task::kBinary, pairs, 0.95).has_value());
  for (const double confidence : {0.0, 1.0, -0.5, 95.0, std::numeric_limits<double>::quiet_NaN()}) {
    EXPECT_FALSE(Compute(Metric::kAccuracy, Task::kBinary, pairs, confidence).has_value()) << confidence;
  }
}

// Every metric on every well-formed window gives finite values and ordered bounds that contain the value.
TEST(Metrics, EstimatesAreNeverNaNAndBracketTheValue) {
  const std::vector<std::pair<Task, std::vector<Pair>>> windows = {
      {Task::kBinary, testdata::BinaryPairs()},
      {Task::kMulticlass, testdata::MulticlassPairs()},
      {Task::kRegression, testdata::RegressionPairs()},
      {Task::kRegression, testdata::PositiveRegressionPairs()},
  };
  for (const auto& [task, pairs] : windows) {
    for (const Metric metric : kAllMetrics) {
      if (!MetricAppliesTo(metric, task)) continue;
      for (std::size_t size : {std::size_t{1}, std::size_t{2}, std::size_t{3}, pairs.size()}) {
        const std::span<const Pair> window(pairs.data(), size);
        const std::optional<Estimate> estimate = Compute(metric, task, window, 0.95);
        if (!estimate) continue;
        EXPECT_FALSE(std::isnan(estimate->value) || std::isnan(estimate->lower) ||
                     std::isnan(estimate->upper))
            << MetricName(metric) << " n=" << size;
        EXPECT_LE(estimate->lower, estimate->value) << MetricName(metric) << " n=" << size;
        EXPECT_LE(estimate->value, estimate->upper) << MetricName(metric) << " n=" << size;
      }
    }
  }
}

}  // namespace
}  // namespace driftgate::kpi
