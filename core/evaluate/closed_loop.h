// The closed-loop check: did a retrain fix the breach that caused it?
// After a retrain succeeds, the new generation's first full KPI window (n == evaluation.window) is
// compared with the breach stored on the retrain: the retrain `improved` the model when every KPI that
// breached is, in that window, on the right side of the threshold it breached — by point value:
// value >= min for a minimum, value <= max for a maximum (no interval needed: the question is whether
// the new version meets the bar, not whether a breach is confirmed). Otherwise — a breached KPI still
// past its threshold, or not computable in the new window — it `did_not_help`.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/evaluate/evaluator.h"

namespace driftgate::evaluate {

// One KPI of the breach that caused a retrain.
struct BreachedKpi {
  std::string metric{};  // kpi::MetricName
  double threshold = 0.0;
  bool is_min = true;  // the threshold is a minimum
};

enum class RetrainOutcome { kImproved, kDidNotHelp };
std::string_view RetrainOutcomeName(RetrainOutcome outcome);

// nullopt when `breached` is empty (nothing to compare against).
std::optional<RetrainOutcome> JudgeRetrain(std::span<const BreachedKpi> breached,
                                           std::span<const KpiResult> window);

}  // namespace driftgate::evaluate
