// POST /v1/models/{model}/backtest on the wire (also `driftgate backtest`): the request body and the
// answer (openapi.yaml BacktestRequest, BacktestResult).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/error.h"
#include "service/reporting/backtest_service.h"

namespace driftgate::api::dto {

// `{"config": {...}, "from": "...", "to": "...", "assume_retrain_hours": 1}`; unknown members are refused.
// The candidate is validated as POST /v1/models validates a model, its name defaulting to `model`; its
// errors name "config.<field>".
Result<service::BacktestRequest> ParseBacktestRequest(const nlohmann::json& body, const std::string& model);

// The candidate's figures at the top level and the current config's under "current":
// {"retrains", "decisions", "breach_seconds_unserved", "energy_kwh", "co2e_kg", "retrain_requests",
//  "evaluations", "pairs"}, and "model", "period", "assume_retrain_hours", "not_simulated".
nlohmann::json BacktestReportJson(const service::BacktestReport& report);

}  // namespace driftgate::api::dto
