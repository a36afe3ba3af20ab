// The `dle` object of a model document: the booster parameters of the regression estimate (core/dle/dle.h).
//
//   {"dle": {"rounds": 100, "max_depth": 4, "eta": 0.1, "min_child_weight": 5, "holdout_every": 4}}
//
// Every member is optional (defaults above); only regression models may set it. A change of any of them
// refits the stored boosters at the next drift check (service/drift/dle_estimator.h).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/domain/model.h"
#include "core/error.h"

namespace driftgate::codec {

// Reads `doc["dle"]` into `config.dle` when present; the error names the field (`dle.rounds`).
std::optional<Error> ParseDleConfig(const nlohmann::json& doc, domain::ModelConfig& config);

// The stored/returned form (regression models only; null otherwise).
nlohmann::json DleConfigToJson(const domain::ModelConfig& config);

// The parameters as one line of text: stored with a fit, a difference means refit.
std::string DleParamsText(const domain::DleSpec& spec);

}  // namespace driftgate::codec
