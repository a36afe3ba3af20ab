// Predictions and labels, one family of partitioned tables: prediction_blocks (a batch per row, day
// partitions), labels (day partitions), record_keys (monthly partitions that make ids unique across days),
// eval_queue, and the session's staging tables (migrations/V004__partitions.sql,
// V012__prediction_blocks.sql). Named, with $n placeholders; times cross as microseconds since the Unix epoch
// (db/sql/time.h).
#pragma once

#include "db/sql/time.h"

namespace driftgate::db::sql {

// The staging table of an uploaded reference. Times are staged as microseconds since the epoch (an integer
// is cheaper to write and to parse than a timestamp's text).
inline constexpr const char* kCreatePredictionStage =
    "CREATE TEMP TABLE IF NOT EXISTS stage_predictions (record_id text COLLATE \"C\", ts_us "
    "bigint, pred_class text, pred_value double precision, score double precision, scores jsonb, "
    "features jsonb, segment text, broken smallint[]) ON COMMIT DELETE ROWS";
// The staged ids not yet known for the model, claimed in id order (concurrent batches sharing ids wait for
// each other instead of deadlocking): ON CONFLICT checks the current key month, one probe per
// older key month still kept does the rest (OFFSET 0 keeps it a per-row index probe: the staging table has
// no statistics, and a hash of a whole month of keys would cost O(month) per batch).
#define DRIFTGATE_SQL_NEW_KEYS(kind, source, cols, vals)                                            \
  "INSERT INTO record_keys (model_id, kind, record_id, received_at, " cols ") SELECT $1, '" kind    \
  "', "                                                                                             \
  "s.record_id, now(), " vals " FROM " source                                                       \
  " s WHERE NOT EXISTS (SELECT 1 FROM record_keys o WHERE o.model_id = $1 "                         \
  "AND o.kind = '" kind                                                                             \
  "' AND o.record_id = s.record_id "                                                                \
  "AND o.received_at < date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' OFFSET 0) " \
  "ORDER BY s.record_id ON CONFLICT DO NOTHING RETURNING record_id"
// Labels that were waiting for a batch's new predictions (ids $2, text[]) become evaluable pairs (their
// keys are marked matched); then, only when there were some, the raw label rows too. Every
// statement over an id array probes the index once per id (unnest + LATERAL ... OFFSET 0): a partition not
// yet analyzed looks empty to the planner, which would otherwise scan all of the model's keys in it and
// test each against the whole array.
#define DRIFTGATE_SQL_KEYS_OF(ids, kind, cols, cond)                    \
  "SELECT " cols " FROM unnest(" ids                                    \
  "::text[]) AS u(id) CROSS JOIN LATERAL (SELECT * FROM record_keys k " \
  "WHERE k.model_id = $1 AND k.kind = " kind " AND k.record_id = u.id " cond " OFFSET 0) k"
// Waiting labels among the ids: probed only when the model has any (a one-time filter on the partial index
// record_keys_waiting), which it usually has not.
#define DRIFTGATE_SQL_WAITING_LABELS_OF(ids) \
  "(" DRIFTGATE_SQL_KEYS_OF(ids, "'l'", "k.record_id, k.received_at", "AND NOT k.matched")                    \
  " WHERE EXISTS (SELECT 1 FROM record_keys w WHERE w.model_id = $1 AND w.kind = 'l' AND NOT w.matched)) f"
inline constexpr const char* kMatchWaitingLabelsIds =
    "WITH m AS (UPDATE record_keys k SET matched = true FROM " DRIFTGATE_SQL_WAITING_LABELS_OF( "$2" )
    " WHERE k.model_id = $1 AND k.kind = 'l' AND k.record_id = f.record_id AND k.received_at = "
    "f.received_at AND NOT k.matched RETURNING k.record_id, k.ts) INSERT INTO eval_queue "
    "(model_id, record_id) SELECT $1, record_id FROM m ORDER BY ts, record_id";
inline constexpr const char* kMarkRawLabelsMatchedIds =
    "UPDATE labels l SET matched = true FROM (" DRIFTGATE_SQL_KEYS_OF( "$2" , "'l'" ,
    "k.record_id, k.received_at" , )
    ") f WHERE l.model_id = $1 AND l.record_id = f.record_id AND l.received_at = f.received_at AND "
    "NOT l.matched";
// Whether any of the ids ($3, text[]) of kind $2 is already known from an older key month: a batch whose
// key rows COPYed into the current month without a conflict is new only if this is false.
inline constexpr const char* kKnownInOlderMonths = "SELECT EXISTS (" DRIFTGATE_SQL_KEYS_OF(
    "$3", "$2", "1",
    "AND k.received_at < date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'") ")";
// The known predictions among the ids ($2, text[]): what a label batch pairs with (with each prediction's
// input faults, migrations/V011__input_quality.sql).
inline constexpr const char* kPredictionKeysOf =
    "SELECT record_id, cls, value, score, broken, segment FROM driftgate_prediction_keys($1, "
    "$2::text[])";
// The ids among $2 (text[]) the model has stored predictions for; under its insert lock (records_repo.cpp).
inline constexpr const char* kKnownPredictions =
    "SELECT record_id FROM driftgate_prediction_keys($1, $2::text[])";
// Before the lock: whether any id of $2 (text[]) is stored, and the largest block seq seen
// (migrations/V016__prediction_id_probe.sql).
inline constexpr const char* kProbePredictionIds =
    "SELECT watermark, known FROM driftgate_prediction_probe($1, $2::text[])";
// Under the lock: the ids of the model's blocks committed after the probe (seq above its watermark $2).
inline constexpr const char* kIdsOfNewerBlocks =
    "SELECT u.id FROM prediction_blocks b CROSS JOIN LATERAL unnest(b.ids) AS u(id) WHERE "
    "b.model_id = $1 AND b.seq > $2";
// Seqs for $1 new blocks (record seqs are block seq * 2^20 + position, migrations/V012).
inline constexpr const char* kNextBlockSeqs =
    "SELECT nextval('predictions_seq') FROM generate_series(1, $1::int)";
// Labels stored unmatched whose prediction was found since (ids $2, text[]: the ones kPredictionKeysOf
// returned, under the model's exclusive lock): marked matched, key and raw row; returns their ids. The
// prediction side comes from that separate statement, not from a call inside this one: on Citus this
// statement runs on the model's shard, where a function that queries distributed tables would be a nested
// distributed query (refused unless citus.allow_nested_distributed_execution, which risks wrong results).
inline constexpr const char* kMatchStoredLabels =
    "WITH w AS MATERIALIZED (" DRIFTGATE_SQL_KEYS_OF( "$2" , "'l'" , "k.record_id, k.received_at" ,
    "AND NOT k.matched" )
    "), m AS (UPDATE record_keys k SET matched = true FROM w WHERE k.model_id = $1 AND k.kind = "
    "'l' AND k.record_id = w.record_id AND k.received_at = w.received_at AND NOT k.matched "
    "RETURNING k.record_id, k.received_at), r AS (UPDATE labels l SET matched = true FROM m WHERE "
    "l.model_id = $1 AND l.record_id = m.record_id AND l.received_at = m.received_at AND NOT "
    "l.matched) SELECT record_id FROM m";
inline constexpr const char* kCreateLabelStage =
    "CREATE TEMP TABLE IF NOT EXISTS stage_labels (ord integer, record_id text COLLATE \"C\", "
    "label_class text, label_value double precision, ts_us bigint) ON COMMIT DELETE ROWS";
// Inserts new labels (matched when their id is among $2, text[]: the ids kPredictionKeysOf found for the
// batch) and returns, in batch order, every accepted label: matched, label class, value, data time (µs),
// id. The prediction side is joined by the caller, as in kMatchStoredLabels (Citus).
inline constexpr const char* kInsertLabelsFromStage =
    "WITH stage AS MATERIALIZED (SELECT s.ord, s.record_id, s.label_class, s.label_value, coalesce("
    DRIFTGATE_SQL_FROM_US("s.ts_us")
    ", now()) AS ts, p.id IS NOT NULL AS found FROM stage_labels s LEFT JOIN unnest($2::text[]) AS "
    "p(id) ON p.id = s.record_id), k AS (" DRIFTGATE_SQL_NEW_KEYS( "l" , "stage" , "ts, cls, value, matched"
    , "s.ts, s.label_class, s.label_value, s.found" )
    "), ins AS (INSERT INTO labels (model_id, record_id, label_class, label_value, ts, matched, "
    "ord) SELECT $1, s.record_id, s.label_class, s.label_value, s.ts, s.found, s.ord FROM stage s "
    "JOIN k ON k.record_id = s.record_id RETURNING record_id) SELECT s.found, s.label_class, "
    "s.label_value, " DRIFTGATE_SQL_TO_US("s.ts")
    ", s.record_id FROM stage s WHERE s.record_id IN (SELECT record_id FROM ins) ORDER BY s.ord";
// Pairs completed earlier by late predictions, oldest first; taking them empties the queue. Returns the
// label side from record_keys (id, class, value, data time in µs); the caller looks the predictions up
// with kPredictionKeysOf (as in kMatchStoredLabels, for Citus).
inline constexpr const char* kTakeQueue =
    "WITH q AS MATERIALIZED (DELETE FROM eval_queue WHERE model_id = $1 RETURNING seq, record_id) "
    "SELECT q.record_id, l.cls, l.value, " DRIFTGATE_SQL_TO_US("l.ts")
    " FROM q JOIN LATERAL (SELECT k.cls, k.value, k.ts FROM record_keys k WHERE k.model_id = $1 "
    "AND k.kind = 'l' AND k.record_id = q.record_id OFFSET 0) l ON true ORDER BY q.seq";
inline constexpr const char* kQueueNotEmpty = "SELECT EXISTS (SELECT 1 FROM eval_queue WHERE model_id = $1)";
// The newest blocks holding the model's last $3 predictions with record seq above $2, newest first: a
// block's records have seqs seq * 2^20 + i (migrations/V012__prediction_blocks.sql).
inline constexpr const char* kRecentBlocks =
    "SELECT seq, n, cls::text, value::text, score::text, body FROM (SELECT b.*, sum(n) OVER (ORDER "
    "BY seq DESC) AS upto FROM prediction_blocks b WHERE model_id = $1 AND seq * 1048576 + n - 1 > "
    "$2) r WHERE upto - n < $3 ORDER BY seq DESC";
// Policy backtests (V005): the stored pairs in the order the live path evaluated them. One live
// evaluation = one transaction that made pairs evaluable: a label batch (its labels share received_at,
// in batch position `ord`), or a prediction batch that completed waiting labels (they share the
// prediction's received_at, in eval_queue order: label ts, record id). Column 0 is that group's key.
// A cursor keeps memory flat over long histories; $2/$3 bound the labels' data time, [from, to). The last
// column is the prediction's input faults, stored with its block (migrations/V011__input_quality.sql,
// V012__prediction_blocks.sql).
inline constexpr const char* kDeclareReplayCursor =
    "DECLARE replay_pairs NO SCROLL CURSOR FOR SELECT "
    DRIFTGATE_SQL_TO_US("greatest(l.received_at, p.received_at)")
    " AS batch_us, p.pred_class, p.pred_value, p.score, l.label_class, l.label_value, "
    DRIFTGATE_SQL_TO_US("l.ts")
    ", p.broken, p.segment FROM labels l JOIN predictions p ON p.model_id = $1 AND p.record_id = "
    "l.record_id WHERE l.model_id = $1 AND l.matched AND ($2::bigint IS NULL OR l.ts >= "
    DRIFTGATE_SQL_FROM_US("$2") ") AND ($3::bigint IS NULL OR l.ts < " DRIFTGATE_SQL_FROM_US("$3")
    ") ORDER BY batch_us, CASE WHEN p.received_at > l.received_at THEN 0 ELSE coalesce(l.ord, 0) "
    "END, l.ts, l.record_id";
inline constexpr const char* kFetchReplay = "FETCH FORWARD 5000 FROM replay_pairs";
inline constexpr const char* kCloseReplay = "CLOSE replay_pairs";

#undef DRIFTGATE_SQL_WAITING_LABELS_OF
// A deleted model's records, one statement per table of the family (db/model_removal.h).
inline constexpr const char* kDeleteModelPredictionBlocks =
    "DELETE FROM prediction_blocks WHERE model_id = $1";
inline constexpr const char* kDeleteModelPredictionKeys = "DELETE FROM prediction_keys WHERE model_id = $1";
inline constexpr const char* kDeleteModelLabels = "DELETE FROM labels WHERE model_id = $1";
inline constexpr const char* kDeleteModelRecordKeys = "DELETE FROM record_keys WHERE model_id = $1";
inline constexpr const char* kDeleteModelEvalQueue = "DELETE FROM eval_queue WHERE model_id = $1";

#undef DRIFTGATE_SQL_KEYS_OF
#undef DRIFTGATE_SQL_NEW_KEYS

}  // namespace driftgate::db::sql
