// The evaluation members of the model document (openapi.yaml, ModelConfig): `task` and `classes`,
// `kpis`, `evaluation`, `detectors`, `policy` and `error_metric`. Each parser fills its part of the config
// and returns the first problem, naming the field; ParseModelConfig (codec/model_config.h) calls them in a
// fixed order, so a document always reports the same first problem.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "core/domain/model.h"
#include "core/error.h"

namespace driftgate::codec {

std::optional<Error> ParseTaskAndClasses(const nlohmann::json& doc, domain::ModelConfig& c);
std::optional<Error> ParseKpis(const nlohmann::json& doc, domain::ModelConfig& c);
std::optional<Error> ParseEvaluation(const nlohmann::json& doc, domain::ModelConfig& c);
std::optional<Error> ParseDetectors(const nlohmann::json& doc, domain::ModelConfig& c);
std::optional<Error> ParsePolicy(const nlohmann::json& doc, domain::ModelConfig& c);
std::optional<Error> ParseErrorMetric(const nlohmann::json& doc, domain::ModelConfig& c);

}  // namespace driftgate::codec
