// The model config's `drift.multivariate` object (core/domain/model.h MultivariateSpec):
//   {"enabled": true, "variance": 0.65, "chunks": 10}, every member optional.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "core/domain/model.h"
#include "core/error.h"

namespace driftgate::codec {

// Reads `drift.multivariate` from the `drift` object into `spec` (left as is when absent); an error names
// the field.
std::optional<Error> ParseMultivariateConfig(const nlohmann::json& drift, domain::MultivariateSpec& spec);
nlohmann::json MultivariateSpecToJson(const domain::MultivariateSpec& spec);

}  // namespace driftgate::codec
