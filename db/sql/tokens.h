// The SQL of tokens: the API tokens (stored as SHA-256 hashes) and their model restriction.
// Named, with $n placeholders; times cross as microseconds since the Unix epoch (db/sql/time.h).
#pragma once

#include "db/sql/time.h"

namespace driftgate::db::sql {

// A model restriction is bound to the model's id: at creation when a model of that name exists, else at
// the first lookup that finds one (kFindTokenByHash).
inline constexpr const char* kInsertToken =
    "WITH t AS (INSERT INTO tokens (name, hash, scopes, model, model_id) SELECT $1::text, "
    "decode($2, 'hex'), $3::text[], $4::text, (SELECT id FROM models WHERE name = $4::text) "
    "RETURNING id, created_at) SELECT id::text, " DRIFTGATE_SQL_TO_US("created_at") " FROM t";
// The presented token's SHA-256 finds its row through the unique index on hash. The last column is the
// restricted model's current name, found by its id: NULL once that model is deleted (even if another model
// took its name). A restriction not bound yet is bound here to the model of its name, if one exists now.
inline constexpr const char* kFindTokenByHash =
    "WITH t AS (SELECT * FROM tokens WHERE hash = decode($1, 'hex')), bound AS (UPDATE tokens SET "
    "model_id = m.id FROM t, models m WHERE tokens.id = t.id AND t.model IS NOT NULL AND "
    "t.model_id IS NULL AND t.revoked_at IS NULL AND m.name = t.model RETURNING tokens.id) SELECT "
    "t.id::text, t.name, encode(t.hash, 'hex'), array_to_string(t.scopes, ','), t.model, "
    "t.revoked_at IS NOT NULL, CASE WHEN t.model_id IS NULL THEN t.model ELSE m.name END, "
    "t.model_id IS NOT NULL OR EXISTS (SELECT 1 FROM bound) FROM t LEFT JOIN models m ON m.id = "
    "t.model_id";
inline constexpr const char* kListTokens =
    "SELECT id::text, name, array_to_string(scopes, ','), model, " DRIFTGATE_SQL_TO_US(
        "created_at") " FROM tokens WHERE revoked_at IS NULL ORDER BY created_at, id";
inline constexpr const char* kRevokeToken =
    "UPDATE tokens SET revoked_at = now() WHERE id::text = $1 AND revoked_at IS NULL RETURNING name";

}  // namespace driftgate::db::sql
