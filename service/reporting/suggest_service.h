// Threshold suggestions (POST /v1/models/{model}/suggest, `driftgate suggest`): from a labelled baseline,
// every KPI of the model's task with its value and confidence interval — kpi::Compute at the model's
// evaluation.confidence, the same estimate and interval the live evaluation reports — and a threshold per
// KPI by the rule of core/evaluate/threshold_suggestion.h. The model's config with the suggested thresholds
// is replayed over all stored history by the policy backtest (service/reporting/backtest_service.h) in the
// same read-only snapshot, so the attached backtest is what POST .../backtest answers for that config. Writes
// nothing and sends nothing.
//
// The baseline: by default the model's data-drift reference (the first reference.size predictions after
// creation or the last successful retrain, or an uploaded reference) restricted to its labelled records;
// with `from` and/or `to`, every labelled pair whose label's data time is in [from, to), as the backtest
// selects them.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/evaluate/threshold_suggestion.h"
#include "db/handles.h"

namespace driftgate::service {

struct SuggestRequest {
  std::optional<std::int64_t> from_us{};  // labels' data time; both absent: the reference
  std::optional<std::int64_t> to_us{};
  evaluate::Tolerance tolerance{};
  // The metrics the suggested config monitors; absent: the model's configured KPIs.
  std::optional<std::vector<kpi::Metric>> kpis{};
  double assume_retrain_hours = 1.0;  // passed to the attached backtest
};

// `{"from", "to", "tolerance": {"absolute", "relative"}, "kpis": ["accuracy", ...], "assume_retrain_hours"}`,
// all optional; unknown fields are refused. Metric names are checked against the task by Run.
Result<SuggestRequest> ParseSuggestRequest(const nlohmann::json& body);

class SuggestService {
 public:
  explicit SuggestService(db::Pool& pool) : pool_(pool) {}

  // {"model", "task", "baseline", "confidence", "tolerance", "kpis": {metric: {...}}, "config", "backtest"}
  // (openapi.yaml ThresholdSuggestion).
  Result<nlohmann::json> Run(const std::string& model, const SuggestRequest& request);

 private:
  db::Pool& pool_;
};

}  // namespace driftgate::service
