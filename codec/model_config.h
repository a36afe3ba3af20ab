// The model document of API.md <-> domain::ModelConfig. Validation names the offending field
// (`kpis[1].metric`), fills the documented defaults, and never echoes the webhook secret.
#pragma once

#include <nlohmann/json.hpp>

#include "core/domain/model.h"
#include "core/error.h"

namespace driftgate::codec {

// Validates a model document. `name_from_path` (PUT) must match a `name` in the body when one is given.
Result<domain::ModelConfig> ParseModelConfig(const nlohmann::json& doc,
                                             const std::string* name_from_path = nullptr);

// The stored/returned form: defaults filled in, `webhook.secret` omitted (a `secret_set` flag instead).
nlohmann::json ModelConfigToJson(const domain::ModelConfig& config);

// Names per API.md: ^[a-z0-9][a-z0-9._-]{0,63}$
bool IsValidName(std::string_view name);

// http(s)://host[:port]/... with a host; no credentials in the URL.
bool IsValidWebhookUrl(std::string_view url);

}  // namespace driftgate::codec
