// The SQL of retrains: the retrain runs, their status, deferral (V007) and closed-loop outcome (V005).
// Named, with $n placeholders; times cross as microseconds since the Unix epoch (db/sql/time.h).
#pragma once

#include "db/sql/page.h"
#include "db/sql/time.h"

namespace driftgate::db::sql {

inline constexpr const char* kPolicyFacts =
    "SELECT coalesce(bool_or(status IN ('requested', 'running')), false), "
    DRIFTGATE_SQL_TO_US("max(requested_at)") ", count(*) FILTER (WHERE requested_at > "
    DRIFTGATE_SQL_FROM_US("$2") " - interval '24 hours' AND requested_at <= " DRIFTGATE_SQL_FROM_US("$2")
    ") FROM retrains WHERE model_id = $1";
inline constexpr const char* kInsertRetrain =
    "INSERT INTO retrains (model_id, decision_id, status, reason, kpis, requested_at, deferral) VALUES ($1, "
    "gen_random_uuid(), 'requested', $2, $3::jsonb, " DRIFTGATE_SQL_FROM_US(
        "$4") ", $5::jsonb) RETURNING id::text, decision_id::text";
// The run the pipeline reports on, locked until the report's transaction ends.
inline constexpr const char* kLockRetrain =
    "SELECT id::text, decision_id::text, status, reason, kpis::text, " DRIFTGATE_SQL_TO_US("requested_at")
    ", " DRIFTGATE_SQL_TO_US("created_at") ", " DRIFTGATE_SQL_TO_US("updated_at")
    ", model_version, seq, outcome, " DRIFTGATE_SQL_TO_US("outcome_at")
    ", outcome_kpis::text, deferral::text AS deferral FROM retrains "
    "WHERE model_id = $1 AND id::text = $2 FOR UPDATE";
inline constexpr const char* kUpdateRetrainStatus =
    "UPDATE retrains SET status = $3, model_version = coalesce($4, model_version), updated_at = "
    "now() WHERE model_id = $1 AND id = $2::uuid";
inline constexpr const char* kLedgerCounts =
    "SELECT count(*), count(*) FILTER (WHERE outcome = 'did_not_help'), (SELECT count(*) FROM "
    "decisions WHERE model_id = $1 AND action = 'suppressed' AND at >= " DRIFTGATE_SQL_FROM_US("$2")
    " AND at < " DRIFTGATE_SQL_FROM_US("$3") ") FROM retrains WHERE model_id = $1 AND requested_at >= "
    DRIFTGATE_SQL_FROM_US("$2") " AND requested_at < " DRIFTGATE_SQL_FROM_US("$3");
// The closed-loop check (V005)
inline constexpr const char* kSetRetrainGeneration =
    "UPDATE retrains SET started_generation = $3 WHERE model_id = $1 AND id = $2::uuid";
inline constexpr const char* kFindUnjudgedRetrain =
    "SELECT id::text, kpis::text FROM retrains WHERE model_id = $1 AND started_generation = $2 AND "
    "status = 'succeeded' AND outcome IS NULL LIMIT 1";
inline constexpr const char* kSetRetrainOutcome =
    "UPDATE retrains SET outcome = $3, outcome_at = " DRIFTGATE_SQL_FROM_US(
        "$4") ", outcome_kpis = $5::jsonb WHERE model_id = $1 AND id = $2::uuid";
inline constexpr const char* kRetrainDeferral =
    "SELECT deferral::text FROM retrains WHERE model_id = $1 AND id = $2::uuid";
// The ledger's CO2e at the scheduled slot's intensity: retrains requested in [$2, $3) of data time whose
// deferral knows that intensity, and the sum of those intensities.
inline constexpr const char* kLedgerScheduledIntensity =
    "SELECT count(*), coalesce(sum((deferral->>'g_per_kwh_scheduled')::float8), 0) FROM retrains "
    "WHERE model_id = $1 AND jsonb_typeof(deferral->'g_per_kwh_scheduled') = 'number' AND "
    "requested_at >= " DRIFTGATE_SQL_FROM_US("$2") " AND requested_at < " DRIFTGATE_SQL_FROM_US("$3");
// A page of retrain runs by request time (db/history_repo.h).
inline constexpr const char* kListRetrains =
    "SELECT id::text, decision_id::text, status, reason, kpis::text, " DRIFTGATE_SQL_TO_US("requested_at")
    " AS at_us, " DRIFTGATE_SQL_TO_US("created_at") ", " DRIFTGATE_SQL_TO_US("updated_at")
    ", model_version, seq, outcome, " DRIFTGATE_SQL_TO_US("outcome_at")
    ", outcome_kpis::text, deferral::text AS deferral FROM retrains " DRIFTGATE_SQL_PAGE("requested_at", "");

inline constexpr const char* kDeleteModelRetrains = "DELETE FROM retrains WHERE model_id = $1";

}  // namespace driftgate::db::sql
