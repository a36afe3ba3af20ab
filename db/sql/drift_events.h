// The SQL of drift_events: the data-drift and concept-drift results of a model and of its segments.
// Named, with $n placeholders; times cross as microseconds since the Unix epoch (db/sql/time.h).
#pragma once

#include "db/sql/page.h"
#include "db/sql/time.h"

namespace driftgate::db::sql {

inline constexpr const char* kInsertDriftEvent =
    "INSERT INTO drift_events (model_id, at, kind, detail) VALUES ($1, " DRIFTGATE_SQL_FROM_US(
        "$2") ", $3, $4::jsonb)";
// A segment's data-drift result (service/drift/segment_drift.h).
inline constexpr const char* kInsertSegmentDriftEvent =
    "INSERT INTO drift_events (model_id, at, kind, segment, detail) VALUES ($1, " DRIFTGATE_SQL_FROM_US(
        "$2") ", 'data', $3, $4::jsonb)";
// Pages of drift events (db/history_repo.h): the whole stream's, or a segment's ($7); each condition has a
// partial index of its own (migrations/V022).
inline constexpr const char* kListDrift = "SELECT " DRIFTGATE_SQL_TO_US(
    "at") " AS at_us, kind, detail::text, seq, segment FROM drift_events " DRIFTGATE_SQL_PAGE("at",
                                                                                              " AND segment "
                                                                                              "IS NULL");
inline constexpr const char* kListSegmentDrift = "SELECT " DRIFTGATE_SQL_TO_US(
    "at") " AS at_us, kind, detail::text, seq, segment FROM drift_events " DRIFTGATE_SQL_PAGE("at",
                                                                                              " AND segment "
                                                                                              "= $7");

inline constexpr const char* kDeleteModelDriftEvents = "DELETE FROM drift_events WHERE model_id = $1";

}  // namespace driftgate::db::sql
