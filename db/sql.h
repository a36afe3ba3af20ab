// Every SQL statement of driftgate's repositories, named, with $n placeholders (userver style).
// Times cross the boundary as microseconds since the Unix epoch.
#pragma once

namespace driftgate::db::sql {

// ---- models
inline constexpr const char* kInsertModel =
    "INSERT INTO models (name, task, config, webhook_secret) VALUES ($1, $2, $3::jsonb, $4) "
    "ON CONFLICT (name) DO NOTHING "
    "RETURNING id, generation, (extract(epoch from created_at) * 1e6)::bigint, "
    "(extract(epoch from updated_at) * 1e6)::bigint";
inline constexpr const char* kSelectModelColumns =
    "SELECT id, name, config::text, webhook_secret, generation, (extract(epoch from created_at) * 1e6)::bigint, "
    "(extract(epoch from updated_at) * 1e6)::bigint FROM models ";
inline constexpr const char* kUpdateModel =
    "UPDATE models SET task = $2, config = $3::jsonb, webhook_secret = $4, updated_at = now() WHERE name = $1 "
    "RETURNING id, generation, (extract(epoch from created_at) * 1e6)::bigint, "
    "(extract(epoch from updated_at) * 1e6)::bigint";
inline constexpr const char* kBumpGeneration =
    "UPDATE models SET generation = generation + 1 WHERE id = $1 RETURNING generation";

// ---- locks: the two-key form keeps model locks apart from the migrator's single-key lock.
inline constexpr const char* kLockModel = "SELECT pg_advisory_xact_lock(1, $1::int)";
inline constexpr const char* kLockModelShared = "SELECT pg_advisory_xact_lock_shared(1, $1::int)";

// ---- predictions: COPY into a session-local staging table, then one insert-select.
inline constexpr const char* kCreatePredictionStage =
    "CREATE TEMP TABLE IF NOT EXISTS stage_predictions (record_id text, ts timestamptz, pred_class text, "
    "pred_value double precision, score double precision, scores jsonb, features jsonb, segment text) "
    "ON COMMIT DELETE ROWS";
inline constexpr const char* kInsertPredictionsFromStage =
    "WITH ins AS (INSERT INTO predictions (model_id, record_id, ts, pred_class, pred_value, score, scores, "
    "features, segment) SELECT $1, record_id, ts, pred_class, pred_value, score, scores, features, segment "
    "FROM stage_predictions ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*) FROM ins";
// Labels that were waiting for these predictions become evaluable pairs.
inline constexpr const char* kMatchWaitingLabels =
    "WITH m AS (UPDATE labels l SET matched = true FROM stage_predictions s WHERE l.model_id = $1 "
    "AND NOT l.matched AND l.record_id = s.record_id RETURNING l.record_id, l.ts) "
    "INSERT INTO eval_queue (model_id, record_id) SELECT $1, record_id FROM m ORDER BY ts, record_id";

// ---- labels
inline constexpr const char* kCreateLabelStage =
    "CREATE TEMP TABLE IF NOT EXISTS stage_labels (ord integer, record_id text, label_class text, "
    "label_value double precision, ts timestamptz) ON COMMIT DELETE ROWS";
// Inserts new labels (matched when the prediction is known) and returns, in batch order, every accepted
// label with its prediction when there is one.
inline constexpr const char* kInsertLabelsFromStage =
    "WITH ins AS (INSERT INTO labels (model_id, record_id, label_class, label_value, ts, matched) "
    "SELECT $1, s.record_id, s.label_class, s.label_value, coalesce(s.ts, now()), p.record_id IS NOT NULL "
    "FROM stage_labels s LEFT JOIN predictions p ON p.model_id = $1 AND p.record_id = s.record_id "
    "ON CONFLICT DO NOTHING RETURNING record_id, matched, ts) "
    "SELECT ins.matched, p.pred_class, p.pred_value, p.score, s.label_class, s.label_value, "
    "(extract(epoch from ins.ts) * 1e6)::bigint FROM ins JOIN stage_labels s ON s.record_id = ins.record_id "
    "LEFT JOIN predictions p ON p.model_id = $1 AND p.record_id = ins.record_id ORDER BY s.ord";
// Pairs completed earlier by late predictions, oldest first; taking them empties the queue.
inline constexpr const char* kTakeQueue =
    "WITH q AS (DELETE FROM eval_queue WHERE model_id = $1 RETURNING seq, record_id) "
    "SELECT true, p.pred_class, p.pred_value, p.score, l.label_class, l.label_value, "
    "(extract(epoch from l.ts) * 1e6)::bigint FROM q JOIN labels l ON l.model_id = $1 AND l.record_id = q.record_id "
    "JOIN predictions p ON p.model_id = $1 AND p.record_id = q.record_id ORDER BY q.seq";
inline constexpr const char* kQueueNotEmpty = "SELECT EXISTS (SELECT 1 FROM eval_queue WHERE model_id = $1)";

// ---- evaluation state and outcomes
inline constexpr const char* kLoadState = "SELECT state::text, version FROM model_state WHERE model_id = $1";
inline constexpr const char* kSaveState =
    "INSERT INTO model_state (model_id, version, state) VALUES ($1, 1, $2::jsonb) ON CONFLICT (model_id) DO "
    "UPDATE SET state = EXCLUDED.state, version = model_state.version + 1, updated_at = now() RETURNING version";
inline constexpr const char* kDeleteState = "DELETE FROM model_state WHERE model_id = $1";
inline constexpr const char* kInsertMetric =
    "INSERT INTO metrics (model_id, at, generation, n, kpis) VALUES ($1, (timestamptz 'epoch' + $2::bigint * interval '1 microsecond'), $3, $4, "
    "$5::jsonb)";
inline constexpr const char* kInsertDriftEvent =
    "INSERT INTO drift_events (model_id, at, kind, detail) VALUES ($1, (timestamptz 'epoch' + $2::bigint * interval '1 microsecond'), $3, "
    "$4::jsonb)";
inline constexpr const char* kInsertDecision =
    "INSERT INTO decisions (model_id, id, at, action, reason, reason_code, kpis, detectors, retrain_id) "
    "VALUES ($1, coalesce($2::uuid, gen_random_uuid()), (timestamptz 'epoch' + $3::bigint * interval '1 microsecond'), $4, $5, $6, $7::jsonb, "
    "$8::jsonb, $9::uuid) RETURNING id::text";

// ---- retrains and the outbox
inline constexpr const char* kPolicyFacts =
    "SELECT coalesce(bool_or(status IN ('requested', 'running')), false), "
    "(extract(epoch from max(requested_at)) * 1e6)::bigint, "
    "count(*) FILTER (WHERE requested_at > (timestamptz 'epoch' + $2::bigint * interval '1 microsecond') - interval '24 hours' "
    "AND requested_at <= (timestamptz 'epoch' + $2::bigint * interval '1 microsecond')) FROM retrains WHERE model_id = $1";
inline constexpr const char* kInsertRetrain =
    "INSERT INTO retrains (model_id, decision_id, status, reason, kpis, requested_at) VALUES ($1, "
    "gen_random_uuid(), 'requested', $2, $3::jsonb, (timestamptz 'epoch' + $4::bigint * interval '1 microsecond')) "
    "RETURNING id::text, decision_id::text";
inline constexpr const char* kRetrainColumns =
    "SELECT id::text, decision_id::text, status, reason, kpis::text, "
    "(extract(epoch from requested_at) * 1e6)::bigint, (extract(epoch from created_at) * 1e6)::bigint, "
    "(extract(epoch from updated_at) * 1e6)::bigint, model_version, seq FROM retrains ";
inline constexpr const char* kUpdateRetrainStatus =
    "UPDATE retrains SET status = $3, model_version = coalesce($4, model_version), updated_at = now() "
    "WHERE model_id = $1 AND id = $2::uuid";
inline constexpr const char* kInsertOutbox =
    "INSERT INTO outbox (id, model_id, retrain_id, url, secret, body) VALUES ($1, $2, $3::uuid, $4, $5, $6)";
inline constexpr const char* kClaimOutbox =
    "UPDATE outbox SET lease_until = now() + make_interval(secs => $2), attempts = attempts + 1 "
    "WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= now() "
    "AND (lease_until IS NULL OR lease_until < now()) ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED) "
    "RETURNING id, url, coalesce(secret, ''), body, attempts";
inline constexpr const char* kOutboxDelivered =
    "UPDATE outbox SET status = $2, last_status = $3, last_error = NULL, lease_until = NULL, "
    "delivered_at = now() WHERE id = $1";
inline constexpr const char* kOutboxRetry =
    "UPDATE outbox SET next_attempt_at = now() + make_interval(secs => $2), lease_until = NULL, "
    "last_status = $3, last_error = $4 WHERE id = $1";
inline constexpr const char* kOutboxNextDue =
    "SELECT extract(epoch from (min(next_attempt_at) - now())) FROM outbox WHERE status = 'pending'";

}  // namespace driftgate::db::sql

namespace driftgate::db::sql {

// ---- data drift
// Locks the model's drift row for this transaction (creating it), serializing reference capture.
inline constexpr const char* kLockDriftRow =
    "INSERT INTO model_drift (model_id) VALUES ($1) ON CONFLICT (model_id) DO UPDATE SET model_id = EXCLUDED.model_id "
    "RETURNING source, reference_count";
// New predictions of the staged batch; the first $2 of them also join an 'auto' reference.
inline constexpr const char* kInsertPredictionsWithReference =
    "WITH ins AS (INSERT INTO predictions (model_id, record_id, ts, pred_class, pred_value, score, scores, "
    "features, segment) SELECT $1, record_id, ts, pred_class, pred_value, score, scores, features, segment "
    "FROM stage_predictions ON CONFLICT DO NOTHING RETURNING record_id, ts, features, pred_class, pred_value, score), "
    "ref AS (INSERT INTO reference_records (model_id, record_id, features, pred_class, pred_value, score) "
    "SELECT $1, record_id, features, pred_class, pred_value, score FROM ins ORDER BY ts, record_id LIMIT $2 "
    "ON CONFLICT DO NOTHING RETURNING 1) "
    "SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM ref)";
inline constexpr const char* kCountDriftProgress =
    "UPDATE model_drift SET received = received + $2, reference_count = reference_count + $3 WHERE model_id = $1 "
    "RETURNING received, last_check_received, reference_count";
inline constexpr const char* kDriftState =
    "SELECT source, reference_count, reference_version, baseline_seq, received, last_check_received, "
    "last_dataset_drift FROM model_drift WHERE model_id = $1";
inline constexpr const char* kTryLockDrift = "SELECT pg_try_advisory_xact_lock(2, $1::int)";
inline constexpr const char* kReferenceRows =
    "SELECT features::text, pred_class, pred_value, score FROM reference_records WHERE model_id = $1";
inline constexpr const char* kRecentRows =
    "SELECT features::text, pred_class, pred_value, score, (extract(epoch from ts) * 1e6)::bigint FROM predictions "
    "WHERE model_id = $1 AND seq > $2 ORDER BY seq DESC LIMIT $3";
inline constexpr const char* kRecordCheck =
    "UPDATE model_drift SET last_check_received = $2, last_dataset_drift = $3 WHERE model_id = $1";
inline constexpr const char* kResetDriftBaseline =
    "UPDATE model_drift SET baseline_seq = (SELECT coalesce(max(seq), 0) FROM predictions WHERE model_id = $1), "
    "received = 0, last_check_received = 0, last_dataset_drift = false, "
    "reference_count = CASE WHEN source = 'auto' THEN 0 ELSE reference_count END, "
    "reference_version = reference_version + CASE WHEN source = 'auto' THEN 1 ELSE 0 END WHERE model_id = $1";
inline constexpr const char* kDeleteAutoReference =
    "DELETE FROM reference_records r USING model_drift d WHERE r.model_id = $1 AND d.model_id = $1 AND d.source = 'auto'";
inline constexpr const char* kReplaceReference =
    "WITH del AS (DELETE FROM reference_records WHERE model_id = $1), "
    "ins AS (INSERT INTO reference_records (model_id, record_id, features, pred_class, pred_value, score) "
    "SELECT $1, record_id, features, pred_class, pred_value, score FROM stage_predictions RETURNING 1) "
    "INSERT INTO model_drift (model_id, source, reference_count) VALUES ($1, 'uploaded', (SELECT count(*) FROM ins)) "
    "ON CONFLICT (model_id) DO UPDATE SET source = 'uploaded', reference_count = EXCLUDED.reference_count, "
    "reference_version = model_drift.reference_version + 1, last_check_received = 0, last_dataset_drift = false "
    "RETURNING reference_count";

}  // namespace driftgate::db::sql
