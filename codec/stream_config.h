// The stream members of the model document (openapi.yaml, ModelConfig): what drift detection, data quality,
// the sustainability ledger and the data lifecycle read — `reference`, `drift`, `data_quality`,
// `retrain_cost`, `retention` and `baseline_schedule_days`. Each parser fills its part of the config and
// returns the first problem, naming the field; ParseModelConfig (codec/model_config.h) calls them in a
// fixed order.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "core/domain/model.h"
#include "core/error.h"

namespace driftgate::codec {

std::optional<Error> ParseReference(const nlohmann::json& doc, domain::ModelConfig& c);
std::optional<Error> ParseDrift(const nlohmann::json& doc, domain::ModelConfig& c);
std::optional<Error> ParseDataQuality(const nlohmann::json& doc, domain::ModelConfig& c);
// `retrain_cost`, `retention` and `baseline_schedule_days`.
std::optional<Error> ParseLedgerAndLifecycle(const nlohmann::json& doc, domain::ModelConfig& c);

}  // namespace driftgate::codec
