// The models table: a model's document, its sealed secrets and its generation.
// Named, with $n placeholders; times cross as microseconds since the Unix epoch (db/sql/time.h).
#pragma once

#include "db/sql/time.h"

namespace driftgate::db::sql {

// The times are converted outside RETURNING: Citus allows only immutable functions there (models and
// tokens are reference tables on Citus, db/citus.h), and no subquery in INSERT ... VALUES.
inline constexpr const char* kInsertModel =
    "WITH m AS (INSERT INTO models (name, task, config, webhook_secret) VALUES ($1, $2, $3::jsonb, "
    "$4) ON CONFLICT (name) DO NOTHING RETURNING id, generation, created_at, updated_at) SELECT "
    "id, generation, " DRIFTGATE_SQL_TO_US("created_at") ", " DRIFTGATE_SQL_TO_US("updated_at") " FROM m";
#define DRIFTGATE_SQL_MODEL_COLUMNS \
  "SELECT id, name, config::text, webhook_secret, generation, " DRIFTGATE_SQL_TO_US("created_at") ", " \
      DRIFTGATE_SQL_TO_US("updated_at") ", coalesce(webhook_header_secrets::text, '{}') FROM models "
inline constexpr const char* kFindModelByName = DRIFTGATE_SQL_MODEL_COLUMNS "WHERE name = $1";
inline constexpr const char* kFindModelById = DRIFTGATE_SQL_MODEL_COLUMNS "WHERE id = $1";
inline constexpr const char* kListModels = DRIFTGATE_SQL_MODEL_COLUMNS "ORDER BY name";
#undef DRIFTGATE_SQL_MODEL_COLUMNS
// The model's rows in the other tables go with it (db/models_repo.cpp); pending webhooks stay.
inline constexpr const char* kDeleteModel = "DELETE FROM models WHERE name = $1 RETURNING id";
inline constexpr const char* kUpdateModel =
    "WITH m AS (UPDATE models SET task = $2, config = $3::jsonb, webhook_secret = $4, updated_at = "
    "now() WHERE name = $1 RETURNING id, generation, created_at, updated_at) SELECT id, "
    "generation, " DRIFTGATE_SQL_TO_US("created_at") ", " DRIFTGATE_SQL_TO_US("updated_at") " FROM m";
inline constexpr const char* kBumpGeneration =
    "UPDATE models SET generation = generation + 1 WHERE id = $1 RETURNING generation";
// The secret header values of a model's webhook (V008), sealed under key $3.
inline constexpr const char* kSetModelHeaderSecrets =
    "UPDATE models SET webhook_header_secrets = $2::jsonb, secrets_key_id = $3 WHERE id = $1";
// Secrets at rest (V015): rows not sealed under the current key ($1), legacy plaintext rows
// (secrets_key_id NULL) only when $2; locked, so a concurrent re-seal or replace waits.
inline constexpr const char* kModelsToReseal =
    "SELECT id, coalesce(webhook_secret, ''), coalesce(webhook_header_secrets::text, '{}'), "
    "secrets_key_id IS NULL, coalesce(config->'notify', '[]')::text FROM models WHERE "
    "secrets_key_id IS NULL OR (NOT $2 AND secrets_key_id <> $1) ORDER BY id LIMIT $3 FOR UPDATE";
// $5: the notify targets with their re-sealed routing keys, or NULL to leave the config as it is.
inline constexpr const char* kResealModel =
    "UPDATE models SET webhook_secret = nullif($2, ''), webhook_header_secrets = $3::jsonb, "
    "secrets_key_id = $4, config = CASE WHEN $5::jsonb IS NULL THEN config ELSE jsonb_set(config, "
    "'{notify}', $5::jsonb) END WHERE id = $1";

}  // namespace driftgate::db::sql
