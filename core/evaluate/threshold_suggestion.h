// Thresholds suggested from a labelled baseline (POST /v1/models/{model}/suggest). Each KPI of the task is
// estimated over the baseline's pairs by kpi::Compute — the value and interval the live evaluation would
// report for those pairs — and its threshold is put a tolerance beyond the interval's far bound, the bound
// on the bad side:
//   higher is better (accuracy, precision, recall, f1, roc_auc, macro_f1, weighted_f1, r2):
//       min = lower - tolerance.absolute                      (in the metric's own units)
//   lower is better (log_loss, mae, rmse, mape):
//       max = upper * (1 + tolerance.relative)                (losses have no common scale)
// A model performing as on the baseline then sits at least the tolerance inside its threshold, plus the
// baseline's own sampling error; a breach needs a real loss. No threshold is suggested when the metric is
// undefined on the baseline, when the far bound is infinite (the spread cannot be estimated,
// kpi/intervals.h), or when a minimum would fall to the metric's floor (0 for every bounded score), where
// it could never be breached.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/domain/model.h"
#include "core/kpi/metrics.h"

namespace driftgate::evaluate {

struct Tolerance {
  double absolute = 0.02;  // subtracted from the lower bound of a higher-is-better metric
  double relative = 0.10;  // share of the upper bound added to it for a lower-is-better metric
};

struct ThresholdSuggestion {
  kpi::Metric metric = kpi::Metric::kAccuracy;
  std::optional<kpi::Estimate> estimate{};  // nullopt: the metric is undefined on the baseline
  std::optional<domain::KpiSpec> threshold{};
  std::string rule{};  // the rule with its numbers, or why there is no threshold
};

// Every metric that applies to `task`, in kpi::Metric order.
std::vector<kpi::Metric> TaskMetrics(kpi::Task task);

// The threshold of `metric` from its baseline `estimate` (nullopt: undefined). Pure arithmetic.
ThresholdSuggestion SuggestThreshold(kpi::Metric metric, const std::optional<kpi::Estimate>& estimate,
                                     const Tolerance& tolerance);

// One suggestion per metric of `task` over `pairs` at two-sided `confidence`.
std::vector<ThresholdSuggestion> SuggestThresholds(kpi::Task task, std::span<const kpi::Pair> pairs,
                                                   double confidence, const Tolerance& tolerance);

}  // namespace driftgate::evaluate
