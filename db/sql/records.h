// Every SQL statement of driftgate's repositories, named, with $n placeholders (userver style).
// Times cross the boundary as microseconds since the Unix epoch.
#pragma once

namespace driftgate::db::sql {

// ---- models
// The times are converted outside RETURNING: Citus allows only immutable functions there (models and
// tokens are reference tables on Citus, db/citus.h), and no subquery in INSERT ... VALUES.
inline constexpr const char* kInsertModel =
    "WITH m AS (INSERT INTO models (name, task, config, webhook_secret) VALUES ($1, $2, $3::jsonb, $4) "
    "ON CONFLICT (name) DO NOTHING RETURNING id, generation, created_at, updated_at) "
    "SELECT id, generation, (extract(epoch from created_at) * 1e6)::bigint, "
    "(extract(epoch from updated_at) * 1e6)::bigint FROM m";
inline constexpr const char* kSelectModelColumns =
    "SELECT id, name, config::text, webhook_secret, generation, (extract(epoch from created_at) * "
    "1e6)::bigint, "
    "(extract(epoch from updated_at) * 1e6)::bigint, coalesce(webhook_header_secrets::text, '{}') FROM "
    "models ";
inline constexpr const char* kUpdateModel =
    "WITH m AS (UPDATE models SET task = $2, config = $3::jsonb, webhook_secret = $4, updated_at = now() "
    "WHERE name = $1 RETURNING id, generation, created_at, updated_at) "
    "SELECT id, generation, (extract(epoch from created_at) * 1e6)::bigint, "
    "(extract(epoch from updated_at) * 1e6)::bigint FROM m";
inline constexpr const char* kBumpGeneration =
    "UPDATE models SET generation = generation + 1 WHERE id = $1 RETURNING generation";

// ---- locks: the two-key form keeps model locks apart from the migrator's single-key lock.
inline constexpr const char* kLockModel = "SELECT pg_advisory_xact_lock(1, $1::int)";
inline constexpr const char* kLockModelShared = "SELECT pg_advisory_xact_lock_shared(1, $1::int)";

// ---- predictions and labels. A prediction batch is one row of prediction_blocks (its day partition);
// labels are rows of labels plus key rows in record_keys, whose monthly partitions make label ids unique
// across days (migrations/V004__partitions.sql, V012__prediction_blocks.sql).
// The staging table of an uploaded reference. Times are staged as microseconds since the epoch (an integer
// is cheaper to write and to parse than a timestamp's text).
inline constexpr const char* kCreatePredictionStage =
    "CREATE TEMP TABLE IF NOT EXISTS stage_predictions (record_id text COLLATE \"C\", ts_us bigint, "
    "pred_class text, "
    "pred_value double precision, score double precision, scores jsonb, features jsonb, segment text, "
    "broken smallint[]) ON COMMIT DELETE ROWS";
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
    "WITH m AS (UPDATE record_keys k SET matched = true FROM " DRIFTGATE_SQL_WAITING_LABELS_OF("$2")
    " WHERE k.model_id = $1 AND k.kind = 'l' AND k.record_id = f.record_id AND k.received_at = f.received_at "
    "AND NOT k.matched RETURNING k.record_id, k.ts) "
    "INSERT INTO eval_queue (model_id, record_id) SELECT $1, record_id FROM m ORDER BY ts, record_id";
inline constexpr const char* kMarkRawLabelsMatchedIds =
    "UPDATE labels l SET matched = true FROM (" DRIFTGATE_SQL_KEYS_OF("$2", "'l'", "k.record_id, k.received_at", "")
    ") f WHERE l.model_id = $1 AND l.record_id = f.record_id AND l.received_at = f.received_at AND NOT l.matched";
// Whether any of the ids ($3, text[]) of kind $2 is already known from an older key month: a batch whose
// key rows COPYed into the current month without a conflict is new only if this is false.
inline constexpr const char* kKnownInOlderMonths = "SELECT EXISTS (" DRIFTGATE_SQL_KEYS_OF(
    "$3", "$2", "1",
    "AND k.received_at < date_trunc('month', now() AT TIME ZONE 'UTC') "
    "AT TIME ZONE 'UTC'") ")";
// The known predictions among the ids ($2, text[]): what a label batch pairs with (with each prediction's
// input faults, migrations/V011__input_quality.sql).
inline constexpr const char* kPredictionKeysOf =
    "SELECT record_id, cls, value, score, broken, segment FROM driftgate_prediction_keys($1, $2::text[])";
// The ids among $2 (text[]) the model has stored predictions for; under its insert lock (records_repo.cpp).
inline constexpr const char* kKnownPredictions =
    "SELECT record_id FROM driftgate_prediction_keys($1, $2::text[])";
// Before the lock: whether any id of $2 (text[]) is stored, and the largest block seq seen
// (migrations/V016__prediction_id_probe.sql).
inline constexpr const char* kProbePredictionIds =
    "SELECT watermark, known FROM driftgate_prediction_probe($1, $2::text[])";
// Under the lock: the ids of the model's blocks committed after the probe (seq above its watermark $2).
inline constexpr const char* kIdsOfNewerBlocks =
    "SELECT u.id FROM prediction_blocks b CROSS JOIN LATERAL unnest(b.ids) AS u(id) "
    "WHERE b.model_id = $1 AND b.seq > $2";
// Seqs for $1 new blocks (record seqs are block seq * 2^20 + position, migrations/V012).
inline constexpr const char* kNextBlockSeqs =
    "SELECT nextval('predictions_seq') FROM generate_series(1, $1::int)";
// Serializes a model's prediction batches from their id check to commit (migrations/V012; key 4 is the
// feature dictionary's).
inline constexpr const char* kLockPredictionInsert = "SELECT pg_advisory_xact_lock(5, $1::int)";
// Labels stored unmatched whose prediction was found since (ids $2, text[]: the ones kPredictionKeysOf
// returned, under the model's exclusive lock): marked matched, key and raw row; returns their ids. The
// prediction side comes from that separate statement, not from a call inside this one: on Citus this
// statement runs on the model's shard, where a function that queries distributed tables would be a nested
// distributed query (refused unless citus.allow_nested_distributed_execution, which risks wrong results).
inline constexpr const char* kMatchStoredLabels =
    "WITH w AS MATERIALIZED (" DRIFTGATE_SQL_KEYS_OF("$2", "'l'", "k.record_id, k.received_at",
                                                    "AND NOT k.matched") "), "
    "m AS (UPDATE record_keys k SET matched = true FROM w WHERE k.model_id = $1 AND k.kind = 'l' "
    "AND k.record_id = w.record_id AND k.received_at = w.received_at AND NOT k.matched "
    "RETURNING k.record_id, k.received_at), "
    "r AS (UPDATE labels l SET matched = true FROM m WHERE l.model_id = $1 AND l.record_id = m.record_id "
    "AND l.received_at = m.received_at AND NOT l.matched) "
    "SELECT record_id FROM m";
#undef DRIFTGATE_SQL_WAITING_LABELS_OF
#undef DRIFTGATE_SQL_KEYS_OF
// The savepoint around a fast claim (records_repo.cpp, ClaimAllByCopy).
inline constexpr const char* kSavepointClaim = "SAVEPOINT claim";
inline constexpr const char* kRollbackClaim = "ROLLBACK TO SAVEPOINT claim";
inline constexpr const char* kReleaseClaim = "RELEASE SAVEPOINT claim";
inline constexpr const char* kNowMicros = "SELECT (extract(epoch from now()) * 1e6)::bigint";

// ---- labels
inline constexpr const char* kCreateLabelStage =
    "CREATE TEMP TABLE IF NOT EXISTS stage_labels (ord integer, record_id text COLLATE \"C\", label_class "
    "text, "
    "label_value double precision, ts_us bigint) ON COMMIT DELETE ROWS";
// Inserts new labels (matched when their id is among $2, text[]: the ids kPredictionKeysOf found for the
// batch) and returns, in batch order, every accepted label: matched, label class, value, data time (µs),
// id. The prediction side is joined by the caller, as in kMatchStoredLabels (Citus).
inline constexpr const char* kInsertLabelsFromStage =
    "WITH stage AS MATERIALIZED (SELECT s.ord, s.record_id, s.label_class, s.label_value, "
    "coalesce(timestamptz 'epoch' + s.ts_us * interval '1 microsecond', now()) AS ts, p.id IS NOT NULL AS "
    "found FROM stage_labels s LEFT JOIN unnest($2::text[]) AS p(id) ON p.id = s.record_id), "
    "k AS (" DRIFTGATE_SQL_NEW_KEYS("l", "stage", "ts, cls, value, matched",
                                    "s.ts, s.label_class, s.label_value, s.found") "), "
    "ins AS (INSERT INTO labels (model_id, record_id, label_class, label_value, ts, matched, ord) "
    "SELECT $1, s.record_id, s.label_class, s.label_value, s.ts, s.found, s.ord FROM stage s "
    "JOIN k ON k.record_id = s.record_id RETURNING record_id) "
    "SELECT s.found, s.label_class, s.label_value, (extract(epoch from s.ts) * 1e6)::bigint, s.record_id "
    "FROM stage s WHERE s.record_id IN (SELECT record_id FROM ins) ORDER BY s.ord";
// Pairs completed earlier by late predictions, oldest first; taking them empties the queue. Returns the
// label side from record_keys (id, class, value, data time in µs); the caller looks the predictions up
// with kPredictionKeysOf (as in kMatchStoredLabels, for Citus).
inline constexpr const char* kTakeQueue =
    "WITH q AS MATERIALIZED (DELETE FROM eval_queue WHERE model_id = $1 RETURNING seq, record_id) "
    "SELECT q.record_id, l.cls, l.value, (extract(epoch from l.ts) * 1e6)::bigint "
    "FROM q JOIN LATERAL (SELECT k.cls, k.value, k.ts FROM record_keys k WHERE k.model_id = $1 AND k.kind = "
    "'l' AND k.record_id = q.record_id OFFSET 0) l ON true ORDER BY q.seq";
inline constexpr const char* kQueueNotEmpty = "SELECT EXISTS (SELECT 1 FROM eval_queue WHERE model_id = $1)";

// ---- evaluation state and outcomes
inline constexpr const char* kLoadState = "SELECT state::text, version FROM model_state WHERE model_id = $1";
// The row's stamp: its version and the id of the transaction that wrote it
// (service/evaluation/state_cache.h).
inline constexpr const char* kLoadStateStamp =
    "SELECT version, xmin::text::bigint FROM model_state WHERE model_id = $1";
// EXCLUDED.updated_at is the proposed row's default, now(): Citus allows only immutable functions in
// DO UPDATE SET on distributed tables.
inline constexpr const char* kSaveState =
    "INSERT INTO model_state (model_id, version, state) VALUES ($1, 1, $2::jsonb) ON CONFLICT (model_id) DO "
    "UPDATE SET state = EXCLUDED.state, version = model_state.version + 1, updated_at = EXCLUDED.updated_at "
    "RETURNING version, xmin::text::bigint";
inline constexpr const char* kDeleteState = "DELETE FROM model_state WHERE model_id = $1";
inline constexpr const char* kInsertMetric =
    "INSERT INTO metrics (model_id, at, generation, n, kpis) VALUES ($1, (timestamptz 'epoch' + $2::bigint * "
    "interval '1 microsecond'), $3, $4, "
    "$5::jsonb)";
inline constexpr const char* kInsertDriftEvent =
    "INSERT INTO drift_events (model_id, at, kind, detail) VALUES ($1, (timestamptz 'epoch' + $2::bigint * "
    "interval '1 microsecond'), $3, "
    "$4::jsonb)";
inline constexpr const char* kInsertDecision =
    "INSERT INTO decisions (model_id, id, at, action, reason, reason_code, kpis, detectors, retrain_id, "
    "segment) "
    "VALUES ($1, coalesce($2::uuid, gen_random_uuid()), (timestamptz 'epoch' + $3::bigint * interval '1 "
    "microsecond'), $4, $5, $6, $7::jsonb, "
    "$8::jsonb, $9::uuid, $10) RETURNING id::text";

// ---- retrains and the outbox
inline constexpr const char* kPolicyFacts =
    "SELECT coalesce(bool_or(status IN ('requested', 'running')), false), "
    "(extract(epoch from max(requested_at)) * 1e6)::bigint, "
    "count(*) FILTER (WHERE requested_at > (timestamptz 'epoch' + $2::bigint * interval '1 microsecond') - "
    "interval '24 hours' "
    "AND requested_at <= (timestamptz 'epoch' + $2::bigint * interval '1 microsecond')) FROM retrains WHERE "
    "model_id = $1";
inline constexpr const char* kInsertRetrain =
    "INSERT INTO retrains (model_id, decision_id, status, reason, kpis, requested_at) VALUES ($1, "
    "gen_random_uuid(), 'requested', $2, $3::jsonb, (timestamptz 'epoch' + $4::bigint * interval '1 "
    "microsecond')) "
    "RETURNING id::text, decision_id::text";
inline constexpr const char* kRetrainColumns =
    "SELECT id::text, decision_id::text, status, reason, kpis::text, "
    "(extract(epoch from requested_at) * 1e6)::bigint, (extract(epoch from created_at) * 1e6)::bigint, "
    "(extract(epoch from updated_at) * 1e6)::bigint, model_version, seq, "
    "outcome, (extract(epoch from outcome_at) * 1e6)::bigint, outcome_kpis::text, deferral::text AS deferral "
    "FROM retrains ";
inline constexpr const char* kUpdateRetrainStatus =
    "UPDATE retrains SET status = $3, model_version = coalesce($4, model_version), updated_at = now() "
    "WHERE model_id = $1 AND id = $2::uuid";
inline constexpr const char* kInsertOutbox =
    "INSERT INTO outbox (id, model_id, retrain_id, url, secret, body, secrets_key_id) "
    "VALUES ($1, $2, $3::uuid, $4, $5, $6, $7)";
inline constexpr const char* kClaimOutbox =
    "UPDATE outbox SET lease_until = now() + make_interval(secs => $2), attempts = attempts + 1 "
    "WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= now() "
    "AND (lease_until IS NULL OR lease_until < now()) ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP "
    "LOCKED) "
    "RETURNING id, url, coalesce(secret, ''), body, attempts, coalesce(headers::text, '[]'), "
    "coalesce(format, 'standard'), secrets_key_id IS NULL";
inline constexpr const char* kOutboxDelivered =
    "UPDATE outbox SET status = $2, last_status = $3, last_error = NULL, lease_until = NULL, "
    "delivered_at = now() WHERE id = $1";
inline constexpr const char* kOutboxRetry =
    "UPDATE outbox SET next_attempt_at = now() + make_interval(secs => $2), lease_until = NULL, "
    "last_status = $3, last_error = $4 WHERE id = $1";
inline constexpr const char* kOutboxNextDue =
    "SELECT extract(epoch from (min(next_attempt_at) - now())) FROM outbox WHERE status = 'pending'";
// Pending deliveries for the backlog gauge (the partial index outbox_due keeps it an index-only count).
inline constexpr const char* kOutboxPendingCount = "SELECT count(*) FROM outbox WHERE status = 'pending'";

}  // namespace driftgate::db::sql

namespace driftgate::db::sql {

// ---- data drift
// Locks the model's drift row for this transaction (creating it), serializing reference capture.
// The no-op update writes a column other than model_id: Citus refuses to update a distribution column.
inline constexpr const char* kLockDriftRow =
    "INSERT INTO model_drift (model_id) VALUES ($1) ON CONFLICT (model_id) DO UPDATE SET source = "
    "model_drift.source "
    "RETURNING source, reference_count";
inline constexpr const char* kPeekDriftRow =
    "SELECT source, reference_count, reference_version FROM model_drift WHERE model_id = $1";
#undef DRIFTGATE_SQL_NEW_KEYS
inline constexpr const char* kCountDriftProgress =
    "UPDATE model_drift SET received = received + $2, reference_count = reference_count + $3 WHERE model_id "
    "= $1 "
    "RETURNING received, last_check_received, reference_count";
inline constexpr const char* kDriftState =
    "SELECT source, reference_count, reference_version, baseline_seq, received, last_check_received, "
    "last_dataset_drift FROM model_drift WHERE model_id = $1";
inline constexpr const char* kTryLockDrift = "SELECT pg_try_advisory_xact_lock(2, $1::int)";
inline constexpr const char* kReferenceRows =
    "SELECT features::text, pred_class, pred_value, score, scores::text, segment FROM reference_records "
    "WHERE "
    "model_id = $1";
// The newest blocks holding the model's last $3 predictions with record seq above $2, newest first: a
// block's records have seqs seq * 2^20 + i (migrations/V012__prediction_blocks.sql).
inline constexpr const char* kRecentBlocks =
    "SELECT seq, n, cls::text, value::text, score::text, body FROM (SELECT b.*, sum(n) OVER (ORDER BY seq "
    "DESC) "
    "AS upto FROM prediction_blocks b WHERE model_id = $1 AND seq * 1048576 + n - 1 > $2) r "
    "WHERE upto - n < $3 ORDER BY seq DESC";
// kRecentBlocks must walk the (model_id, seq) index of each day partition backwards. A
// partition not yet analyzed looks nearly empty to the planner, which then prefers to read all of the
// model's rows in it and sort them — O(rows of the day) per drift check. Sorting is disabled around it.
inline constexpr const char* kSortOff = "SET LOCAL enable_sort = off";
inline constexpr const char* kSortOn = "SET LOCAL enable_sort = on";
// The latest multivariate check's alarm (migrations/V020__multiclass_cbpe_multivariate.sql).
inline constexpr const char* kMultivariateAlert =
    "SELECT last_multivariate_alert FROM model_drift WHERE model_id = $1";
inline constexpr const char* kSetMultivariateAlert =
    "UPDATE model_drift SET last_multivariate_alert = $2 WHERE model_id = $1";
inline constexpr const char* kRecordCheck =
    "UPDATE model_drift SET last_check_received = $2, last_dataset_drift = $3 WHERE model_id = $1";
inline constexpr const char* kResetDriftBaseline =
    "UPDATE model_drift SET baseline_seq = (SELECT coalesce(max(seq * 1048576 + n - 1), 0) FROM "
    "prediction_blocks "
    "WHERE model_id = $1), "
    "received = 0, last_check_received = 0, last_dataset_drift = false, "
    "reference_count = CASE WHEN source = 'auto' THEN 0 ELSE reference_count END, "
    "reference_version = reference_version + CASE WHEN source = 'auto' THEN 1 ELSE 0 END WHERE model_id = $1";
inline constexpr const char* kDeleteAutoReference =
    "DELETE FROM reference_records r USING model_drift d WHERE r.model_id = $1 AND d.model_id = $1 AND "
    "d.source = 'auto'";
// Its own statement: sibling data-modifying CTEs share one snapshot, so an INSERT next to the DELETE
// would still collide with the old rows' keys (a re-uploaded record id).
inline constexpr const char* kDeleteReference = "DELETE FROM reference_records WHERE model_id = $1";
// The staged rows become the reference, then the drift row counts them: two statements, as Citus plans no
// subquery inside INSERT ... VALUES (the count was one).
inline constexpr const char* kInsertReference =
    "INSERT INTO reference_records (model_id, record_id, features, pred_class, pred_value, score, scores, "
    "segment) "
    "SELECT $1, record_id, features, pred_class, pred_value, score, scores, segment FROM stage_predictions";
inline constexpr const char* kReplaceReference =
    "INSERT INTO model_drift (model_id, source, reference_count) VALUES ($1, 'uploaded', $2) "
    "ON CONFLICT (model_id) DO UPDATE SET source = 'uploaded', reference_count = EXCLUDED.reference_count, "
    "reference_version = model_drift.reference_version + 1, last_check_received = 0, last_dataset_drift = "
    "false "
    "RETURNING reference_count";

}  // namespace driftgate::db::sql

namespace driftgate::db::sql {

// ---- tokens and the audit log (access control)
// A model restriction is bound to the model's id: at creation when a model of that name exists, else at
// the first lookup that finds one (kFindTokenByHash).
inline constexpr const char* kInsertToken =
    "WITH t AS (INSERT INTO tokens (name, hash, scopes, model, model_id) "
    "SELECT $1::text, decode($2, 'hex'), $3::text[], $4::text, (SELECT id FROM models WHERE name = $4::text) "
    "RETURNING id, created_at) SELECT id::text, (extract(epoch from created_at) * 1e6)::bigint FROM t";
// The presented token's SHA-256 finds its row through the unique index on hash. The last column is the
// restricted model's current name, found by its id: NULL once that model is deleted (even if another model
// took its name). A restriction not bound yet is bound here to the model of its name, if one exists now.
inline constexpr const char* kFindTokenByHash =
    "WITH t AS (SELECT * FROM tokens WHERE hash = decode($1, 'hex')), "
    "bound AS (UPDATE tokens SET model_id = m.id FROM t, models m WHERE tokens.id = t.id "
    "AND t.model IS NOT NULL AND t.model_id IS NULL AND t.revoked_at IS NULL AND m.name = t.model "
    "RETURNING tokens.id) "
    "SELECT t.id::text, t.name, encode(t.hash, 'hex'), array_to_string(t.scopes, ','), t.model, "
    "t.revoked_at IS NOT NULL, CASE WHEN t.model_id IS NULL THEN t.model ELSE m.name END, "
    "t.model_id IS NOT NULL OR EXISTS (SELECT 1 FROM bound) "
    "FROM t LEFT JOIN models m ON m.id = t.model_id";
inline constexpr const char* kListTokens =
    "SELECT id::text, name, array_to_string(scopes, ','), model, (extract(epoch from created_at) * "
    "1e6)::bigint "
    "FROM tokens WHERE revoked_at IS NULL ORDER BY created_at, id";
inline constexpr const char* kRevokeToken =
    "UPDATE tokens SET revoked_at = now() WHERE id::text = $1 AND revoked_at IS NULL RETURNING name";
inline constexpr const char* kInsertAudit =
    "INSERT INTO audit_log (actor, action, target, detail) VALUES ($1, $2, $3, $4::jsonb)";
// [from, to) by wall time, after the cursor (at, id), oldest first.
inline constexpr const char* kListAudit =
    "SELECT id, (extract(epoch from at) * 1e6)::bigint AS at_us, actor, action, target, detail::text FROM "
    "audit_log "
    "WHERE ($1::bigint IS NULL OR at >= (timestamptz 'epoch' + $1::bigint * interval '1 microsecond')) "
    "AND ($2::bigint IS NULL OR at < (timestamptz 'epoch' + $2::bigint * interval '1 microsecond')) "
    "AND ($3::bigint IS NULL OR (at, id) > ((timestamptz 'epoch' + $3::bigint * interval '1 microsecond'), "
    "$4::bigint)) "
    "ORDER BY at, id LIMIT $5";
// A delivery the webhook allow-list refuses: terminal, never retried.
inline constexpr const char* kOutboxFailed =
    "UPDATE outbox SET status = 'failed', last_status = NULL, last_error = $2, lease_until = NULL WHERE id = "
    "$1";

}  // namespace driftgate::db::sql

namespace driftgate::db::sql {

// ---- policy backtests (V005): the stored pairs in the order the live path evaluated them. One live
// evaluation = one transaction that made pairs evaluable: a label batch (its labels share received_at,
// in batch position `ord`), or a prediction batch that completed waiting labels (they share the
// prediction's received_at, in eval_queue order: label ts, record id). Column 0 is that group's key.
// A cursor keeps memory flat over long histories; $2/$3 bound the labels' data time, [from, to). The last
// column is the prediction's input faults, stored with its block (migrations/V011__input_quality.sql,
// V012__prediction_blocks.sql).
inline constexpr const char* kDeclareReplayCursor =
    "DECLARE replay_pairs NO SCROLL CURSOR FOR "
    "SELECT (extract(epoch from greatest(l.received_at, p.received_at)) * 1e6)::bigint AS batch_us, "
    "p.pred_class, p.pred_value, p.score, l.label_class, l.label_value, (extract(epoch from l.ts) * "
    "1e6)::bigint, "
    "p.broken, p.segment FROM labels l JOIN predictions p ON p.model_id = $1 AND p.record_id = l.record_id "
    "WHERE l.model_id = $1 AND l.matched "
    "AND ($2::bigint IS NULL OR l.ts >= (timestamptz 'epoch' + $2::bigint * interval '1 microsecond')) "
    "AND ($3::bigint IS NULL OR l.ts < (timestamptz 'epoch' + $3::bigint * interval '1 microsecond')) "
    "ORDER BY batch_us, CASE WHEN p.received_at > l.received_at THEN 0 ELSE coalesce(l.ord, 0) END, l.ts, "
    "l.record_id";
inline constexpr const char* kFetchReplay = "FETCH FORWARD 5000 FROM replay_pairs";
inline constexpr const char* kCloseReplay = "CLOSE replay_pairs";
// The labelled reference (threshold suggestions): each reference record whose id has a label, as the pair the
// evaluation would form — the reference's prediction, the label's class or value and data time. Probed per
// reference row as kLabelledReference is, for the same reason (record_keys.record_id is COLLATE "C").
inline constexpr const char* kReferencePairs =
    "SELECT r.pred_class, r.pred_value, r.score, k.cls, k.value, (extract(epoch from k.ts) * 1e6)::bigint "
    "FROM reference_records r JOIN LATERAL (SELECT k.cls, k.value, k.ts FROM record_keys k "
    "WHERE k.model_id = r.model_id AND k.kind = 'l' AND k.record_id = r.record_id COLLATE \"C\" LIMIT 1) k "
    "ON true "
    "WHERE r.model_id = $1 ORDER BY k.ts, r.record_id";
inline constexpr const char* kReadOnlySnapshot = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";

// ---- the sustainability ledger: first and last data time of a model's records — its raw predictions and
// labels, and its evaluations' data times (metrics are kept when retention drops raw days) — and the
// counts of a period [$2, $3) of data time.
inline constexpr const char* kTableWriteCount =
    "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::bigint FROM pg_stat_user_tables";
// On Citus the rows are written to shards, on the workers, which a coordinator's statistics do not show
// (its distributed tables are empty shells): the same sum on every node. Citus's own connections see the
// shards, which it hides from other sessions' catalog queries.
inline constexpr const char* kClusterWriteCount =
    "SELECT coalesce(sum(result::bigint), 0)::bigint FROM run_command_on_all_nodes("
    "'SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::bigint FROM pg_stat_user_tables')";
inline constexpr const char* kModelDataSpan =
    "SELECT (extract(epoch from min(t)) * 1e6)::bigint, (extract(epoch from max(t)) * 1e6)::bigint FROM ("
    "SELECT min(ts_min) AS t FROM prediction_blocks WHERE model_id = $1 UNION ALL SELECT max(ts_max) FROM "
    "prediction_blocks "
    "WHERE model_id = $1 "
    "UNION ALL SELECT min(ts) FROM labels WHERE model_id = $1 UNION ALL SELECT max(ts) FROM labels WHERE "
    "model_id = $1 "
    "UNION ALL SELECT min(at) FROM metrics WHERE model_id = $1 UNION ALL SELECT max(at) FROM metrics WHERE "
    "model_id = $1) s";
inline constexpr const char* kLedgerCounts =
    "SELECT count(*), count(*) FILTER (WHERE outcome = 'did_not_help'), "
    "(SELECT count(*) FROM decisions WHERE model_id = $1 AND action = 'suppressed' "
    "AND at >= (timestamptz 'epoch' + $2::bigint * interval '1 microsecond') "
    "AND at < (timestamptz 'epoch' + $3::bigint * interval '1 microsecond')) "
    "FROM retrains WHERE model_id = $1 AND requested_at >= (timestamptz 'epoch' + $2::bigint * interval '1 "
    "microsecond') "
    "AND requested_at < (timestamptz 'epoch' + $3::bigint * interval '1 microsecond')";

// ---- the closed-loop check (V005)
inline constexpr const char* kSetRetrainGeneration =
    "UPDATE retrains SET started_generation = $3 WHERE model_id = $1 AND id = $2::uuid";
inline constexpr const char* kFindUnjudgedRetrain =
    "SELECT id::text, kpis::text FROM retrains WHERE model_id = $1 AND started_generation = $2 "
    "AND status = 'succeeded' AND outcome IS NULL LIMIT 1";
inline constexpr const char* kSetRetrainOutcome =
    "UPDATE retrains SET outcome = $3, outcome_at = (timestamptz 'epoch' + $4::bigint * interval '1 "
    "microsecond'), "
    "outcome_kpis = $5::jsonb WHERE model_id = $1 AND id = $2::uuid";

}  // namespace driftgate::db::sql

namespace driftgate::db::sql {

// ---- partitions and retention (migrations/V004__partitions.sql)
inline constexpr const char* kEnsurePartitions =
    "SELECT driftgate_ensure_partitions((now() AT TIME ZONE 'UTC')::date + $1::int, "
    "(now() AT TIME ZONE 'UTC')::date + $2::int)";
// For one day given as YYYYMMDD (restoring an archive).
inline constexpr const char* kEnsurePartitionsFor =
    "SELECT driftgate_ensure_partitions(to_date($1, 'YYYYMMDD'), to_date($1, 'YYYYMMDD'))";
// A model without retention.raw_days keeps the default; no model: the default.
inline constexpr const char* kLongestRetention =
    "SELECT coalesce(max(coalesce((config->'retention'->>'raw_days')::int, $1::int)), $1::int) FROM models";
// Raw days that ended at least $1 days ago, then key months that did; oldest first.
inline constexpr const char* kExpiredPartitions =
    "SELECT parent.relname, child.relname FROM pg_inherits i JOIN pg_class child ON child.oid = i.inhrelid "
    "JOIN pg_class parent ON parent.oid = i.inhparent WHERE "
    "(parent.relname IN ('prediction_blocks', 'labels') AND child.relname ~ '_p[0-9]{8}$' "
    "AND (to_date(right(child.relname, 8), 'YYYYMMDD') + 1)::timestamp AT TIME ZONE 'UTC' "
    "<= now() - make_interval(days => $1::int)) OR "
    "(parent.relname IN ('record_keys', 'prediction_keys') AND child.relname ~ '_p[0-9]{6}$' "
    "AND (to_date(right(child.relname, 6), 'YYYYMM') + interval '1 month')::timestamp AT TIME ZONE 'UTC' "
    "<= now() - make_interval(days => $1::int)) "
    "ORDER BY parent.relname IN ('record_keys', 'prediction_keys'), right(child.relname, 8), child.relname";
inline constexpr const char* kColumnsOf =
    "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped "
    "ORDER BY attnum";
inline constexpr const char* kTryLockRetention = "SELECT pg_try_advisory_xact_lock(3, 1)";
inline constexpr const char* kPartitionExists = "SELECT to_regclass($1) IS NOT NULL";
// A DROP of a partition waits for ingest to let go of the parent; it gives up rather than stall ingest.
inline constexpr const char* kLockTimeout = "SET LOCAL lock_timeout = '5s'";

}  // namespace driftgate::db::sql

namespace driftgate::db::sql {

// ---- carbon-aware deferral (V007): the grid-intensity forecast and a retrain's schedule
inline constexpr const char* kDeleteGridForecast = "DELETE FROM grid_forecast WHERE region = $1";
// $2, $3: parallel arrays of times (microseconds since the epoch) and intensities.
inline constexpr const char* kInsertGridForecast =
    "INSERT INTO grid_forecast (region, at, g_per_kwh) SELECT $1, "
    "timestamptz 'epoch' + t * interval '1 microsecond', g FROM unnest($2::bigint[], $3::float8[]) AS u(t, "
    "g)";
inline constexpr const char* kSelectGridForecast =
    "SELECT (extract(epoch from at) * 1e6)::bigint, g_per_kwh, (extract(epoch from updated_at) * "
    "1e6)::bigint "
    "FROM grid_forecast WHERE region = $1 ORDER BY at";
// The wall time of the transaction (what outbox.next_attempt_at and the dispatcher's claim compare with).
inline constexpr const char* kWallNow = "SELECT (extract(epoch from now()) * 1e6)::bigint";
// The forecast points that decide a deferral of $2 hours: from the slot holding now() through the first
// point at or after the window's end.
inline constexpr const char* kGridWindow =
    "SELECT (extract(epoch from at) * 1e6)::bigint, g_per_kwh FROM grid_forecast WHERE region = $1 "
    "AND at >= coalesce((SELECT max(at) FROM grid_forecast WHERE region = $1 AND at <= now()), now()) "
    "AND at <= coalesce((SELECT min(at) FROM grid_forecast WHERE region = $1 "
    "AND at >= now() + $2::float8 * interval '1 hour'), now() + $2::float8 * interval '1 hour') ORDER BY at";
inline constexpr const char* kScheduleOutbox =
    "UPDATE outbox SET next_attempt_at = timestamptz 'epoch' + $2::bigint * interval '1 microsecond' WHERE "
    "id = $1";
inline constexpr const char* kSetRetrainDeferral =
    "UPDATE retrains SET deferral = $3::jsonb WHERE model_id = $1 AND id = $2::uuid";
inline constexpr const char* kSetDecisionDeferral =
    "UPDATE decisions SET deferral = $3::jsonb WHERE model_id = $1 AND id = $2::uuid";
inline constexpr const char* kRetrainDeferral =
    "SELECT deferral::text FROM retrains WHERE model_id = $1 AND id = $2::uuid";
// The ledger's CO2e at the scheduled slot's intensity: retrains requested in [$2, $3) of data time whose
// deferral knows that intensity, and the sum of those intensities.
inline constexpr const char* kLedgerScheduledIntensity =
    "SELECT count(*), coalesce(sum((deferral->>'g_per_kwh_scheduled')::float8), 0) FROM retrains "
    "WHERE model_id = $1 AND jsonb_typeof(deferral->'g_per_kwh_scheduled') = 'number' "
    "AND requested_at >= (timestamptz 'epoch' + $2::bigint * interval '1 microsecond') "
    "AND requested_at < (timestamptz 'epoch' + $3::bigint * interval '1 microsecond')";

}  // namespace driftgate::db::sql

namespace driftgate::db::sql {

// ---- pipeline adapters (V008): secret header values of a model's webhook, a delivery's extra headers
inline constexpr const char* kSetModelHeaderSecrets =
    "UPDATE models SET webhook_header_secrets = $2::jsonb, secrets_key_id = $3 WHERE id = $1";

// ---- secrets at rest (V015): rows not sealed under the current key ($1), legacy plaintext rows
// (secrets_key_id NULL) only when $2; locked, so a concurrent re-seal or replace waits.
inline constexpr const char* kModelsToReseal =
    "SELECT id, coalesce(webhook_secret, ''), coalesce(webhook_header_secrets::text, '{}'), secrets_key_id "
    "IS NULL, coalesce(config->'notify', '[]')::text "
    "FROM models WHERE secrets_key_id IS NULL OR (NOT $2 AND secrets_key_id <> $1) ORDER BY id LIMIT $3 FOR "
    "UPDATE";
// $5: the notify targets with their re-sealed routing keys, or NULL to leave the config as it is.
inline constexpr const char* kResealModel =
    "UPDATE models SET webhook_secret = nullif($2, ''), webhook_header_secrets = $3::jsonb, secrets_key_id = "
    "$4, config = CASE WHEN $5::jsonb IS NULL THEN config ELSE jsonb_set(config, '{notify}', $5::jsonb) END "
    "WHERE id = $1";
inline constexpr const char* kOutboxToReseal =
    "SELECT id, coalesce(secret, ''), coalesce(headers::text, '[]'), secrets_key_id IS NULL "
    "FROM outbox WHERE secrets_key_id IS NULL OR (NOT $2 AND secrets_key_id <> $1) ORDER BY id LIMIT $3 FOR "
    "UPDATE";
inline constexpr const char* kResealOutbox =
    "UPDATE outbox SET secret = nullif($2, ''), headers = CASE WHEN headers IS NULL THEN NULL ELSE $3::jsonb "
    "END, "
    "secrets_key_id = $4 WHERE id = $1";
inline constexpr const char* kSetOutboxDelivery =
    "UPDATE outbox SET headers = $2::jsonb, format = $3 WHERE id = $1";

}  // namespace driftgate::db::sql

namespace driftgate::db::sql {

// ---- label-free estimates (CBPE) and the data-quality veto (V006)
// The labelled reference: reference predictions with a score whose label arrived (record_keys kind 'l'
// holds each label's class).
inline constexpr const char* kLabelledReference =
    // One index probe per reference row: record_keys.record_id is COLLATE "C" (its index too), so the
    // comparison must be in "C"; as a plain join on unanalysed partitions it became a 12 s nested loop.
    "SELECT r.score, r.pred_class, k.cls, r.scores::text FROM reference_records r JOIN LATERAL (SELECT k.cls "
    "FROM record_keys k WHERE k.model_id = r.model_id AND k.kind = 'l' AND k.record_id = r.record_id COLLATE "
    "\"C\" "
    "AND k.cls IS NOT NULL LIMIT 1) k ON true WHERE r.model_id = $1 AND (r.score IS NOT NULL OR r.scores IS "
    "NOT NULL)";
inline constexpr const char* kInsertEstimatedMetric =
    "INSERT INTO estimated_metrics (model_id, at, generation, n, kpis, per_class) VALUES ($1, (timestamptz "
    "'epoch' + "
    "$2::bigint * interval '1 microsecond'), $3, $4, $5::jsonb, $6::jsonb)";
inline constexpr const char* kSetDataQuality =
    "UPDATE model_drift SET dq_incident = $2, dq_broken = $3::jsonb WHERE model_id = $1";
inline constexpr const char* kDataQuality =
    "SELECT dq_incident, dq_broken::text FROM model_drift WHERE model_id = $1";
inline constexpr const char* kEstimatedCode = "SELECT estimated_code FROM model_drift WHERE model_id = $1";
inline constexpr const char* kSetEstimatedCode =
    "UPDATE model_drift SET estimated_code = $2 WHERE model_id = $1";

}  // namespace driftgate::db::sql

namespace driftgate::db::sql {

// ---- input quality per prediction (V011): the model's feature dictionary, written under advisory lock
// (4, model_id) so that concurrent batches hand out each position once.
inline constexpr const char* kLockFeatureDictionary = "SELECT pg_advisory_xact_lock(4, $1::int)";
inline constexpr const char* kFeatureDictionary =
    "SELECT position, name, missing_rate, type_error_rate FROM model_features WHERE model_id = $1";
// $2 positions (smallint[]), $3 names (text[]), $4 missing rates, $5 type-error rates (float8[]).
inline constexpr const char* kUpsertFeatures =
    "INSERT INTO model_features (model_id, position, name, missing_rate, type_error_rate) "
    "SELECT $1, u.position, u.name, u.missing_rate, u.type_error_rate FROM unnest($2::smallint[], "
    "$3::text[], "
    "$4::float8[], $5::float8[]) AS u(position, name, missing_rate, type_error_rate) "
    "ON CONFLICT (model_id, position) DO UPDATE SET missing_rate = EXCLUDED.missing_rate, "
    "type_error_rate = EXCLUDED.type_error_rate";

// ---- segments (migrations/V017__segments.sql)
// One point per judged segment of an evaluation: arrays $4 segment, $5 n, $6 state, $7 kpis (jsonb text).
inline constexpr const char* kInsertSegmentMetrics =
    "INSERT INTO segment_metrics (model_id, at, generation, segment, n, state, kpis) "
    "SELECT $1, (timestamptz 'epoch' + $2::bigint * interval '1 microsecond'), $3, u.segment, u.n, u.state, "
    "u.kpis::jsonb FROM unnest($4::text[], $5::int[], $6::text[], $7::text[]) AS u(segment, n, state, kpis)";
// Each segment's latest point of generation $2.
inline constexpr const char* kLatestSegments =
    "SELECT DISTINCT ON (segment) segment, (extract(epoch from at) * 1e6)::bigint, n, state, kpis::text "
    "FROM segment_metrics WHERE model_id = $1 AND generation = $2 ORDER BY segment, at DESC, seq DESC";

}  // namespace driftgate::db::sql
