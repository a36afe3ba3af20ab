// The SQL of alerts: one open alert per model and condition (migrations/V018__alerts.sql).
// Named, with $n placeholders; times cross as microseconds since the Unix epoch (db/sql/time.h).
#pragma once

#include "db/sql/time.h"

#define DRIFTGATE_SQL_ALERT_COLUMNS \
  "id::text, condition, action, reason, reason_code, " DRIFTGATE_SQL_TO_US("opened_at") ", "           \
      DRIFTGATE_SQL_TO_US("data_at") ", coalesce(" DRIFTGATE_SQL_TO_US("resolved_at") ", 0), updates"

namespace driftgate::db::sql {

inline constexpr const char* kLoadOpenAlerts =
    "SELECT " DRIFTGATE_SQL_ALERT_COLUMNS
    " FROM alerts WHERE model_id = $1 AND segment = '' AND status = 'open' ORDER BY opened_at";
inline constexpr const char* kFindOpenAlert =
    "SELECT " DRIFTGATE_SQL_ALERT_COLUMNS
    " FROM alerts WHERE model_id = $1 AND segment = '' AND condition = $2 AND status = 'open' FOR UPDATE";
// The writes return whole rows and the columns are computed outside RETURNING: Citus allows only immutable
// functions there, and extract() from a timestamptz is stable.
inline constexpr const char* kOpenAlert =
    "WITH a AS (INSERT INTO alerts (model_id, condition, status, action, reason, reason_code, data_at) "
    "VALUES ($1, $2, 'open', $3, $4, $5, " DRIFTGATE_SQL_FROM_US("$6")
    ") ON CONFLICT (model_id, segment, condition) WHERE status = 'open' DO NOTHING RETURNING *) SELECT "
    DRIFTGATE_SQL_ALERT_COLUMNS " FROM a";
inline constexpr const char* kUpdateAlert =
    "WITH a AS (UPDATE alerts SET action = $3, reason = $4, reason_code = $5, data_at = "
    DRIFTGATE_SQL_FROM_US("$6") ", updated_at = now(), updates = updates + 1 WHERE model_id = $1 AND id = "
    "$2::uuid RETURNING *) SELECT " DRIFTGATE_SQL_ALERT_COLUMNS " FROM a";
inline constexpr const char* kResolveAlert =
    "WITH a AS (UPDATE alerts SET status = 'resolved', resolved_at = now(), updated_at = now() "
    "WHERE model_id = $1 AND id = $2::uuid AND status = 'open' RETURNING *) "
    "SELECT " DRIFTGATE_SQL_ALERT_COLUMNS " FROM a";

inline constexpr const char* kDeleteModelAlerts = "DELETE FROM alerts WHERE model_id = $1";

}  // namespace driftgate::db::sql

#undef DRIFTGATE_SQL_ALERT_COLUMNS
