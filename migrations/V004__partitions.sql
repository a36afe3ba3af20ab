-- Raw predictions and labels in time-partitioned tables, so that retention drops whole partitions and
-- never deletes rows.
--
-- The partition key is `received_at` — when the row was stored, by the database's clock — one partition per
-- UTC day (predictions_pYYYYMMDD, labels_pYYYYMMDD). Not `ts` (data time): a label's ts defaults to its
-- arrival, so a re-sent label would carry a different ts, and clients may send any data time, including
-- far in the past or future; received_at always lands in today's partition, so partitions fill one at a
-- time and an old one never receives rows again.
--
-- Idempotency by (model_id, record_id) across partitions. PostgreSQL only enforces uniqueness per partition
-- unless the key includes the partition key, and probing every daily partition for every ingested record
-- was measured at ~38x the cost of one primary-key check (1,000 new ids against 31 partitions: 154 ms vs
-- 4 ms). So ids live in `record_keys`, a narrow table (no features) partitioned by received_at *month*:
-- each monthly partition is unique on (model_id, kind, record_id); an insert is checked by ON CONFLICT
-- against the current month and by one index probe per older month still kept (usually one). record_keys
-- also holds what an evaluation needs (prediction class/value/score, label class/value/ts, matched), so
-- labels find their predictions, and queued pairs are read, without touching the daily partitions.
-- Trade-off: every record is written twice (raw row + key row, ~+1 narrow heap insert per record), and key
-- months are kept until every raw day in them is dropped (keys outlive raw rows by up to a month; a record
-- re-sent after its raw day was dropped but while its key month is kept is still a duplicate).
--
-- Retention (service/retention.*): a raw day is dropped once it is older than the longest retention of any
-- model (`retention.raw_days`, default DRIFTGATE_RETENTION_DAYS) — all models share the day partitions, so a
-- partition can only go when every model's retention has passed. Decisions, metrics, drift events,
-- retrains and reference_records are separate tables and are kept; none of them references raw rows.
--
-- Partitions are created ahead by driftgate_ensure_partitions(from, to) (here for the data already stored
-- and the next two weeks; then by the server at start and hourly). Without a partition for today an insert
-- fails with "no partition of relation ... found for row" and ingest creates it and retries once.

CREATE FUNCTION driftgate_ensure_partitions(p_from date, p_to date) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  d date;
  t text;
  name text;
  created integer := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(3, 0);  -- replicas creating the same partition at once
  FOR d IN SELECT generate_series(p_from, p_to, interval '1 day')::date LOOP
    FOREACH t IN ARRAY ARRAY['predictions', 'labels'] LOOP
      name := t || '_p' || to_char(d, 'YYYYMMDD');
      IF to_regclass(name) IS NULL THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', name, t,
                       d::timestamp AT TIME ZONE 'UTC', (d + 1)::timestamp AT TIME ZONE 'UTC');
        created := created + 1;
      END IF;
    END LOOP;
  END LOOP;
  FOR d IN SELECT generate_series(date_trunc('month', p_from), date_trunc('month', p_to), interval '1 month')::date LOOP
    name := 'record_keys_p' || to_char(d, 'YYYYMM');
    IF to_regclass(name) IS NULL THEN
      EXECUTE format('CREATE TABLE %I PARTITION OF record_keys FOR VALUES FROM (%L) TO (%L)', name,
                     d::timestamp AT TIME ZONE 'UTC', (d + interval '1 month')::timestamp AT TIME ZONE 'UTC');
      EXECUTE format('CREATE UNIQUE INDEX %I ON %I (model_id, kind, record_id)', name || '_key', name);
      created := created + 1;
    END IF;
  END LOOP;
  RETURN created;
END $$;

-- The tables as they were (columns in the same order, defaults such as predictions.seq kept), now
-- partitioned; their rows move over below.
ALTER TABLE predictions RENAME TO predictions_v3;
ALTER TABLE labels RENAME TO labels_v3;
CREATE TABLE predictions (LIKE predictions_v3 INCLUDING DEFAULTS) PARTITION BY RANGE (received_at);
CREATE TABLE labels (LIKE labels_v3 INCLUDING DEFAULTS) PARTITION BY RANGE (received_at);
ALTER SEQUENCE predictions_seq OWNED BY predictions.seq;
-- No per-session blocks of 1000 values (V002): handed out in call order, a later-committed batch of a model
-- (batches of one model are serialized by its drift-row lock) always has larger seqs, so a drift check can
-- read just the rows since its previous one (service/drift_window.h). One nextval per row either way.
ALTER SEQUENCE predictions_seq CACHE 1;

-- kind 'p': cls/value/score = the prediction's class/value/score. kind 'l': cls/value = the label's,
-- ts = its data time, matched = its prediction is known.
CREATE TABLE record_keys (
  model_id    bigint           NOT NULL,
  kind        "char"           NOT NULL CHECK (kind IN ('p', 'l')),
  record_id   text COLLATE "C" NOT NULL,  -- byte order: index comparisons are memcmp, not strcoll
  received_at timestamptz      NOT NULL,
  ts          timestamptz,
  cls         text,
  value       double precision,
  score       double precision,
  matched     boolean          NOT NULL DEFAULT false
) PARTITION BY RANGE (received_at);

SELECT driftgate_ensure_partitions(
  least((SELECT min(received_at) FROM predictions_v3), (SELECT min(received_at) FROM labels_v3), now())::date,
  (now() + interval '14 days')::date);

INSERT INTO predictions SELECT * FROM predictions_v3;
INSERT INTO labels SELECT * FROM labels_v3;
INSERT INTO record_keys (model_id, kind, record_id, received_at, cls, value, score)
  SELECT model_id, 'p', record_id, received_at, pred_class, pred_value, score FROM predictions;
INSERT INTO record_keys (model_id, kind, record_id, received_at, ts, cls, value, matched)
  SELECT model_id, 'l', record_id, received_at, ts, label_class, label_value, matched FROM labels;
DROP TABLE predictions_v3;
DROP TABLE labels_v3;

-- Partitioned indexes: every partition, present and future, gets them.
CREATE INDEX predictions_recent ON predictions (model_id, seq);         -- the drift window: last N by seq
CREATE INDEX labels_waiting ON labels (model_id, record_id) WHERE NOT matched;
CREATE INDEX record_keys_waiting ON record_keys (model_id, record_id) WHERE kind = 'l' AND NOT matched;
