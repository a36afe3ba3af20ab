// Tokens and audit entries → JSON. A token's value appears only in the creation answer.
#pragma once

#include <nlohmann/json.hpp>

#include "api/dto/cursor.h"
#include "core/domain/access.h"
#include "core/domain/history.h"

namespace driftgate::api::dto {

// {"id", "name", "scopes", "model", "created_at"}
nlohmann::json ToJson(const domain::TokenInfo& t);
// ToJson(info) plus "token": the value, shown once.
nlohmann::json CreatedTokenJson(const domain::CreatedToken& t);
// {"id", "at", "actor", "action", "target", "detail"}
nlohmann::json ToJson(const domain::AuditRow& a);
// {"audit": [...], "next_cursor": "..."|null}
nlohmann::json AuditPageJson(const domain::Page<domain::AuditRow>& page, const CursorCodec& codec,
                             std::string_view listing);

}  // namespace driftgate::api::dto
