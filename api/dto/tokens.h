// POST /v1/tokens body → service::TokenSpec.
#pragma once

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "service/access/tokens_service.h"

namespace driftgate::api::dto {

// {"name": "...", "scopes": ["ingest"|"read"|"admin", ...], "model": "<name>"|null}; unknown members are
// refused. Scopes come back sorted, without repeats.
Result<service::TokenSpec> ParseTokenSpec(const nlohmann::json& doc);

}  // namespace driftgate::api::dto
