// The SQL of audit_log: who changed what.
// Named, with $n placeholders; times cross as microseconds since the Unix epoch (db/sql/time.h).
#pragma once

#include "db/sql/time.h"

namespace driftgate::db::sql {

inline constexpr const char* kInsertAudit =
    "INSERT INTO audit_log (actor, action, target, detail) VALUES ($1, $2, $3, $4::jsonb)";
// [from, to) by wall time, after the cursor (at, id), oldest first.
inline constexpr const char* kListAudit =
    "SELECT id, " DRIFTGATE_SQL_TO_US("at")
    " AS at_us, actor, action, target, detail::text FROM audit_log WHERE ($1::bigint IS NULL OR at >= "
    DRIFTGATE_SQL_FROM_US("$1") ") AND ($2::bigint IS NULL OR at < " DRIFTGATE_SQL_FROM_US("$2")
    ") AND ($3::bigint IS NULL OR (at, id) > (" DRIFTGATE_SQL_FROM_US("$3")
    ", $4::bigint)) ORDER BY at, id LIMIT $5";

}  // namespace driftgate::db::sql
