#include "core/evaluate/threshold_suggestion.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace driftgate::evaluate {
namespace {

constexpr kpi::Metric kAllMetrics[] = {
    kpi::Metric::kAccuracy, kpi::Metric::kPrecision, kpi::Metric::kRecall,  kpi::Metric::kF1,
    kpi::Metric::kRocAuc,   kpi::Metric::kLogLoss,   kpi::Metric::kMacroF1, kpi::Metric::kWeightedF1,
    kpi::Metric::kMae,      kpi::Metric::kRmse,      kpi::Metric::kMape,    kpi::Metric::kR2,
};

// Shortest text that reads back as the same double (17 significant digits at most).
std::string Number(double v) {
  char buf[40];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

}  // namespace

std::vector<kpi::Metric> TaskMetrics(kpi::Task task) {
  std::vector<kpi::Metric> out;
  for (const auto m : kAllMetrics) {
    if (kpi::MetricAppliesTo(m, task)) out.push_back(m);
  }
  return out;
}

ThresholdSuggestion SuggestThreshold(kpi::Metric metric, const std::optional<kpi::Estimate>& estimate,
                                     const Tolerance& tolerance) {
  ThresholdSuggestion s{.metric = metric, .estimate = estimate};
  if (!estimate) {
    s.rule = "none: the metric is undefined on these pairs";
    return s;
  }
  if (kpi::HigherIsBetter(metric)) {
    if (!std::isfinite(estimate->lower)) {
      s.rule = "none: the interval has no finite lower bound (too few pairs to estimate the spread)";
      return s;
    }
    const double min = estimate->lower - tolerance.absolute;
    // r2 has no floor; every other higher-is-better metric is a score in [0, 1].
    if (metric != kpi::Metric::kR2 && min <= 0.0) {
      s.rule = "none: lower - " + Number(tolerance.absolute) + " = " + Number(min) +
               " is at the metric's floor (0), where a minimum is never breached";
      return s;
    }
    s.threshold = domain::KpiSpec{.metric = metric, .min = min};
    s.rule = "min = lower - " + Number(tolerance.absolute) + " = " + Number(estimate->lower) + " - " +
             Number(tolerance.absolute);
    return s;
  }
  if (!std::isfinite(estimate->upper)) {
    s.rule = "none: the interval has no finite upper bound (too few pairs to estimate the spread)";
    return s;
  }
  const double max = estimate->upper * (1.0 + tolerance.relative);
  s.threshold = domain::KpiSpec{.metric = metric, .max = max};
  s.rule = "max = upper * (1 + " + Number(tolerance.relative) + ") = " + Number(estimate->upper) + " * " +
           Number(1.0 + tolerance.relative);
  return s;
}

std::vector<ThresholdSuggestion> SuggestThresholds(kpi::Task task, std::span<const kpi::Pair> pairs,
                                                   double confidence, const Tolerance& tolerance) {
  std::vector<ThresholdSuggestion> out;
  for (const auto metric : TaskMetrics(task)) {
    out.push_back(SuggestThreshold(metric, kpi::Compute(metric, task, pairs, confidence), tolerance));
  }
  return out;
}

}  // namespace driftgate::evaluate
