// A guard for JSON documents bound for PostgreSQL: text and jsonb cannot hold U+0000 (libpq cuts a text
// parameter at it, jsonb rejects "\u0000"), so a document with one would fail inside the database (a 500)
// or be stored cut short. Valid JSON can carry it as the escape "\u0000"; this finds it before storage.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "core/error.h"

namespace driftgate::api::dto {

// InvalidArgument naming the first key or string value that contains U+0000 by its path
// (`webhook.secret`, `kpis[0].metric`, `drift.tests.<key>`); nullopt when there is none.
// Recursive: call it on documents whose depth JsonDepth() has already bounded.
std::optional<Error> FindNulCharacter(const nlohmann::json& doc);

}  // namespace driftgate::api::dto
