// The members the replay requests share (POST .../backtest, POST .../suggest): the period of labels'
// data time and the simulated retrain duration.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/error.h"

namespace driftgate::api::dto {

// "from" and "to": RFC 3339 times, each optional (null as absent), `to` after `from` when both are given.
Status ParsePeriod(const nlohmann::json& body, std::optional<std::int64_t>& from_us,
                   std::optional<std::int64_t>& to_us);

// "assume_retrain_hours": a number of hours in [0, 8760]; left as it is when absent.
Status ParseAssumeRetrainHours(const nlohmann::json& body, double& hours);

// An RFC 3339 time, or null.
nlohmann::json OptionalTimeJson(const std::optional<std::int64_t>& us);

}  // namespace driftgate::api::dto
