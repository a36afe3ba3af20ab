// The decision a label-free (CBPE) estimate allows: an estimated KPI is judged like a realized
// one — a breach is "confirmed" when n >= evaluation.min_samples and the whole interval is past the
// threshold — but the action is `warn` (reason code warn:estimated:<metrics>), never `retrain`, unless the
// model's policy sets `allow_estimated: true`; then the same suppression rules as a realized breach apply
// (data-quality incident, retrain in flight, cooldown, daily budget, evaluator.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/evaluate/evaluator.h"

namespace driftgate::evaluate {

struct EstimatedOutcome {
  std::vector<KpiResult> kpis{};  // one per configured KPI the estimate covers
  Action action = Action::kNone;
  std::string reason{};
  std::string reason_code = "none:ok";
};

// `estimates`: (metric, estimate) for the KPIs CBPE could estimate; `at_us`: the data time of the window.
EstimatedOutcome JudgeEstimated(const domain::ModelConfig& config,
                                const std::vector<std::pair<kpi::Metric, kpi::Estimate>>& estimates,
                                const PolicyFacts& facts, std::int64_t at_us);

}  // namespace driftgate::evaluate
