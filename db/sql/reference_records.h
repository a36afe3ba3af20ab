// The SQL of reference_records: a model's reference set, captured automatically or uploaded.
// Named, with $n placeholders; times cross as microseconds since the Unix epoch (db/sql/time.h).
#pragma once

#include "db/sql/time.h"

namespace driftgate::db::sql {

inline constexpr const char* kReferenceRows =
    "SELECT features::text, pred_class, pred_value, score, scores::text, segment FROM "
    "reference_records WHERE model_id = $1";
inline constexpr const char* kDeleteAutoReference =
    "DELETE FROM reference_records r USING model_drift d WHERE r.model_id = $1 AND d.model_id = $1 "
    "AND d.source = 'auto'";
// Its own statement: sibling data-modifying CTEs share one snapshot, so an INSERT next to the DELETE
// would still collide with the old rows' keys (a re-uploaded record id).
inline constexpr const char* kDeleteReference = "DELETE FROM reference_records WHERE model_id = $1";
// The staged rows become the reference, then the drift row counts them: two statements, as Citus plans no
// subquery inside INSERT ... VALUES (the count was one).
inline constexpr const char* kInsertReference =
    "INSERT INTO reference_records (model_id, record_id, features, pred_class, pred_value, score, "
    "scores, segment) SELECT $1, record_id, features, pred_class, pred_value, score, scores, "
    "segment FROM stage_predictions";
// The labelled reference (threshold suggestions): each reference record whose id has a label, as the pair the
// evaluation would form — the reference's prediction, the label's class or value and data time. Probed per
// reference row as kLabelledReference is, for the same reason (record_keys.record_id is COLLATE "C").
inline constexpr const char* kReferencePairs =
    "SELECT r.pred_class, r.pred_value, r.score, k.cls, k.value, " DRIFTGATE_SQL_TO_US("k.ts")
    " FROM reference_records r JOIN LATERAL (SELECT k.cls, k.value, k.ts FROM record_keys k WHERE "
    "k.model_id = r.model_id AND k.kind = 'l' AND k.record_id = r.record_id COLLATE \"C\" LIMIT 1) "
    "k ON true WHERE r.model_id = $1 ORDER BY k.ts, r.record_id";
// The labelled reference: reference predictions with a score whose label arrived (record_keys kind 'l'
// holds each label's class).
// One index probe per reference row: record_keys.record_id is COLLATE "C" (its index too), so the
// comparison must be in "C"; as a plain join on unanalysed partitions it became a 12 s nested loop.
inline constexpr const char* kLabelledReference =
    "SELECT r.score, r.pred_class, k.cls, r.scores::text FROM reference_records r JOIN LATERAL "
    "(SELECT k.cls FROM record_keys k WHERE k.model_id = r.model_id AND k.kind = 'l' AND "
    "k.record_id = r.record_id COLLATE \"C\" AND k.cls IS NOT NULL LIMIT 1) k ON true WHERE "
    "r.model_id = $1 AND (r.score IS NOT NULL OR r.scores IS NOT NULL)";

}  // namespace driftgate::db::sql
