// The SQL of decisions: every decision an evaluation or a drift check takes.
// Named, with $n placeholders; times cross as microseconds since the Unix epoch (db/sql/time.h).
#pragma once

#include "db/sql/page.h"
#include "db/sql/time.h"

namespace driftgate::db::sql {

inline constexpr const char* kInsertDecision =
    "INSERT INTO decisions (model_id, id, at, action, reason, reason_code, kpis, detectors, "
    "retrain_id, segment, deferral) VALUES ($1, coalesce($2::uuid, gen_random_uuid()), "
    DRIFTGATE_SQL_FROM_US("$3") ", $4, $5, $6, $7::jsonb, $8::jsonb, $9::uuid, $10, $11::jsonb) "
    "RETURNING id::text";
// A page of decisions (db/history_repo.h).
inline constexpr const char* kListDecisions =
    "SELECT id::text, " DRIFTGATE_SQL_TO_US("at") " AS at_us, " DRIFTGATE_SQL_TO_US("created_at")
    ", action, reason, kpis::text, detectors::text, retrain_id::text, seq, deferral::text AS deferral, "
    "segment FROM decisions " DRIFTGATE_SQL_PAGE("at", "");

inline constexpr const char* kDeleteModelDecisions = "DELETE FROM decisions WHERE model_id = $1";

}  // namespace driftgate::db::sql
