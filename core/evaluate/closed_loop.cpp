#include "core/evaluate/closed_loop.h"

#include <algorithm>

namespace driftgate::evaluate {

std::string_view RetrainOutcomeName(RetrainOutcome outcome) {
  return outcome == RetrainOutcome::kImproved ? "improved" : "did_not_help";
}

std::optional<RetrainOutcome> JudgeRetrain(std::span<const BreachedKpi> breached,
                                           std::span<const KpiResult> window) {
  if (breached.empty()) return std::nullopt;
  for (const auto& b : breached) {
    const auto it = std::find_if(window.begin(), window.end(),
                                 [&](const KpiResult& k) { return kpi::MetricName(k.metric) == b.metric; });
    if (it == window.end()) return RetrainOutcome::kDidNotHelp;
    const double v = it->estimate.value;
    const bool right_side = b.is_min ? v >= b.threshold : v <= b.threshold;
    if (!right_side) return RetrainOutcome::kDidNotHelp;
  }
  return RetrainOutcome::kImproved;
}

}  // namespace driftgate::evaluate
