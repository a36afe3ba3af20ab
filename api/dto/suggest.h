// POST /v1/models/{model}/suggest on the wire (also `driftgate suggest`): the request body and the answer
// (openapi.yaml SuggestRequest, ThresholdSuggestion).
#pragma once

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "service/reporting/suggest_service.h"

namespace driftgate::api::dto {

// `{"from", "to", "tolerance": {"absolute", "relative"}, "kpis": ["accuracy", ...], "assume_retrain_hours"}`,
// all optional; unknown members are refused. Metric names are checked against the task by the service.
Result<service::SuggestRequest> ParseSuggestRequest(const nlohmann::json& body);

// {"model", "task", "baseline", "confidence", "tolerance", "kpis": {metric: {...}}, "config", "backtest"};
// the config leaves the webhook out: a read-scoped caller must not see its URL (it may carry a credential).
nlohmann::json SuggestReportJson(const service::SuggestReport& report);

}  // namespace driftgate::api::dto
