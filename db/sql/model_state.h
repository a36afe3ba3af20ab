// The SQL of model_state: the evaluation state of each model (service/evaluation/state_cache.h).
// Named, with $n placeholders; times cross as microseconds since the Unix epoch (db/sql/time.h).
#pragma once

namespace driftgate::db::sql {

inline constexpr const char* kLoadState = "SELECT state::text, version FROM model_state WHERE model_id = $1";
// The row's stamp: its version and the id of the transaction that wrote it
// (service/evaluation/state_cache.h).
inline constexpr const char* kLoadStateStamp =
    "SELECT version, xmin::text::bigint FROM model_state WHERE model_id = $1";
// EXCLUDED.updated_at is the proposed row's default, now(): Citus allows only immutable functions in
// DO UPDATE SET on distributed tables.
inline constexpr const char* kSaveState =
    "INSERT INTO model_state (model_id, version, state) VALUES ($1, 1, $2::jsonb) ON CONFLICT "
    "(model_id) DO UPDATE SET state = EXCLUDED.state, version = model_state.version + 1, "
    "updated_at = EXCLUDED.updated_at RETURNING version, xmin::text::bigint";
inline constexpr const char* kDeleteState = "DELETE FROM model_state WHERE model_id = $1";

}  // namespace driftgate::db::sql
