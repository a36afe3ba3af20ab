// The KPI series: metrics, estimated_metrics (label-free estimates, V006) and segment_metrics (V017).
// Named, with $n placeholders; times cross as microseconds since the Unix epoch (db/sql/time.h).
#pragma once

#include "db/sql/page.h"
#include "db/sql/time.h"

namespace driftgate::db::sql {

inline constexpr const char* kInsertMetric =
    "INSERT INTO metrics (model_id, at, generation, n, kpis) VALUES ($1, " DRIFTGATE_SQL_FROM_US(
        "$2") ", $3, $4, $5::jsonb)";
inline constexpr const char* kInsertEstimatedMetric =
    "INSERT INTO estimated_metrics (model_id, at, generation, n, kpis, per_class) VALUES "
    "($1, " DRIFTGATE_SQL_FROM_US("$2") ", $3, $4, $5::jsonb, $6::jsonb)";
// Segments (migrations/V017__segments.sql)
// One point per judged segment of an evaluation: arrays $4 segment, $5 n, $6 state, $7 kpis (jsonb text).
inline constexpr const char* kInsertSegmentMetrics =
    "INSERT INTO segment_metrics (model_id, at, generation, segment, n, state, kpis) SELECT $1, "
    DRIFTGATE_SQL_FROM_US("$2")
    ", $3, u.segment, u.n, u.state, u.kpis::jsonb FROM unnest($4::text[], $5::int[], $6::text[], "
    "$7::text[]) AS u(segment, n, state, kpis)";
// Each segment's latest point of generation $2.
inline constexpr const char* kLatestSegments =
    "SELECT DISTINCT ON (segment) segment, " DRIFTGATE_SQL_TO_US("at")
    ", n, state, kpis::text FROM segment_metrics WHERE model_id = $1 AND generation = $2 ORDER BY "
    "segment, at DESC, seq DESC";
// Pages of the KPI series (db/history_repo.h): realized, per segment ($7), label-free estimates.
inline constexpr const char* kListMetrics = "SELECT " DRIFTGATE_SQL_TO_US(
    "at") " AS at_us, generation, n, kpis::text, seq FROM metrics " DRIFTGATE_SQL_PAGE("at", "");
inline constexpr const char* kListSegmentMetrics = "SELECT " DRIFTGATE_SQL_TO_US(
    "at") " AS at_us, generation, n, kpis::text, seq FROM segment_metrics " DRIFTGATE_SQL_PAGE("at",
                                                                                               " AND segment "
                                                                                               "= $7");
inline constexpr const char* kListEstimatedMetrics =
    "SELECT " DRIFTGATE_SQL_TO_US("at") " AS at_us, generation, n, kpis::text, seq, per_class::text "
    "FROM estimated_metrics " DRIFTGATE_SQL_PAGE("at", "");

// A deleted model's series (db/model_removal.h).
inline constexpr const char* kDeleteModelMetrics = "DELETE FROM metrics WHERE model_id = $1";
inline constexpr const char* kDeleteModelEstimatedMetrics =
    "DELETE FROM estimated_metrics WHERE model_id = $1";
inline constexpr const char* kDeleteModelSegmentMetrics = "DELETE FROM segment_metrics WHERE model_id = $1";

}  // namespace driftgate::db::sql
