-- Predictions stored one block per ingested batch instead of one row (with a jsonb features object) per
-- prediction, plus a key row per prediction in record_keys. Measured before (bench/README.md): 370 bytes
-- per stored prediction with four features against 192 for a plain one-table layout, the features'
-- jsonb and the two per-row heap tuples and index entries being most of it.
--
-- A block holds the records of one accepted batch, in batch order:
--   * what SQL needs per record, as native arrays: ids (the idempotency key, found through a GIN index),
--     predicted class / value and score (a label pairs with them); TOAST compresses them with lz4;
--   * everything else — data times, features, multiclass scores, segments — as one zstd body in a
--     columnar layout (db/feature_block.h), decoded only by the server.
-- Record i (0-based) of a block has seq = block seq * 2^20 + i: batches are bounded far below 2^20
-- records (db/records_repo.cpp splits anything larger), so record seqs stay ordered like before.
--
-- Idempotency: a batch's ids are also written, as one array per block, to prediction_keys — partitioned
-- by month like record_keys, so that an id check probes the GIN index of two or three monthly partitions
-- instead of one per day (about 1.3 ms per partition for 1,000 ids, empty or not). A batch checks its ids
-- there while it holds the model's drift-row lock and a per-model insert lock to commit, so a concurrent
-- batch with the same ids sees the first one's once it committed. As with record_keys, a month of ids is
-- kept until every day in it is dropped. A label finds its prediction through the same index, then the
-- block by (model_id, seq); once retention dropped the prediction's day the label waits unmatched (raw
-- days are kept far longer than labels take to arrive).
--
-- Retention, archive and restore work on the day partitions of prediction_blocks exactly as they did on
-- those of predictions. `predictions` becomes a view of the blocks' per-record columns (no features), so
-- ad-hoc SQL that counts or lists predictions keeps working.

CREATE TABLE prediction_blocks (
  model_id    bigint                                 NOT NULL,
  seq         bigint                                 NOT NULL,
  n           integer                                NOT NULL CHECK (n > 0 AND n < 1048576),
  received_at timestamptz                            NOT NULL DEFAULT now(),
  ts_min      timestamptz                            NOT NULL,
  ts_max      timestamptz                            NOT NULL,
  ids         text[] COMPRESSION lz4 COLLATE "C"     NOT NULL,
  cls         text[] COMPRESSION lz4                 NOT NULL,
  value       double precision[] COMPRESSION lz4     NOT NULL,
  score       double precision[] COMPRESSION lz4     NOT NULL,
  -- Per record, its input faults as record_keys.broken held them (V011) in text: NULL judged without
  -- fault, '{}' not judged, '{9,14}' the fault codes.
  broken      text[] COMPRESSION lz4                 NOT NULL,
  body        bytea                                  NOT NULL
) PARTITION BY RANGE (received_at);
-- The body is zstd already: stored out of line when large, never compressed again.
ALTER TABLE prediction_blocks ALTER COLUMN body SET STORAGE EXTERNAL;

-- The ids of each block again, by month of arrival: the idempotency and pairing index (above).
CREATE TABLE prediction_keys (
  model_id    bigint                             NOT NULL,
  seq         bigint                             NOT NULL,
  received_at timestamptz                        NOT NULL DEFAULT now(),
  ids         text[] COMPRESSION lz4 COLLATE "C" NOT NULL
) PARTITION BY RANGE (received_at);
CREATE INDEX prediction_keys_ids ON prediction_keys USING gin (ids) WITH (fastupdate = off);

CREATE OR REPLACE FUNCTION driftgate_ensure_partitions(p_from date, p_to date) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  d date;
  t text;
  name text;
  created integer := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(3, 0);  -- replicas creating the same partition at once
  FOR d IN SELECT generate_series(p_from, p_to, interval '1 day')::date LOOP
    FOREACH t IN ARRAY ARRAY['prediction_blocks', 'labels'] LOOP
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
    name := 'prediction_keys_p' || to_char(d, 'YYYYMM');
    IF to_regclass(name) IS NULL THEN
      EXECUTE format('CREATE TABLE %I PARTITION OF prediction_keys FOR VALUES FROM (%L) TO (%L)', name,
                     d::timestamp AT TIME ZONE 'UTC', (d + interval '1 month')::timestamp AT TIME ZONE 'UTC');
      created := created + 1;
    END IF;
  END LOOP;
  RETURN created;
END $$;

SELECT driftgate_ensure_partitions(
  least((SELECT min(received_at) FROM predictions), now())::date, (now() + interval '14 days')::date);

-- Rows stored before: one block each, its body the row as JSON text (format 'J', db/feature_block.h), its
-- seq the row's seq scaled like every record seq; the drift baselines scale with them.
INSERT INTO prediction_blocks (model_id, seq, n, received_at, ts_min, ts_max, ids, cls, value, score, broken, body)
SELECT model_id, seq, 1, received_at, ts, ts, ARRAY[record_id], ARRAY[pred_class], ARRAY[pred_value], ARRAY[score],
       ARRAY[(SELECT k.broken::text FROM record_keys k WHERE k.model_id = p.model_id AND k.kind = 'p'
              AND k.record_id = p.record_id LIMIT 1)],
       '\x4a'::bytea || convert_to(jsonb_build_object('ts', (extract(epoch from ts) * 1e6)::bigint,
                                                      'features', features, 'scores', scores,
                                                      'segment', segment)::text, 'UTF8')
FROM predictions p;
INSERT INTO prediction_keys (model_id, seq, received_at, ids)
SELECT model_id, seq, received_at, ARRAY[record_id] FROM predictions;
UPDATE model_drift SET baseline_seq = baseline_seq * 1048576 WHERE baseline_seq > 0;
DELETE FROM record_keys WHERE kind = 'p';
ALTER TABLE record_keys DROP COLUMN broken;  -- held only by prediction key rows (V011); now in the blocks

ALTER SEQUENCE predictions_seq OWNED BY NONE;
DROP TABLE predictions;
ALTER SEQUENCE predictions_seq OWNED BY prediction_blocks.seq;

-- Partitioned index (every partition gets it): a block by its seq, and the drift window's newest blocks.
CREATE INDEX prediction_blocks_recent ON prediction_blocks (model_id, seq);

CREATE VIEW predictions AS
SELECT b.model_id, u.record_id, u.pred_class, u.pred_value, u.score, b.received_at,
       b.seq * 1048576 + u.pos - 1 AS seq, u.broken
FROM prediction_blocks b
CROSS JOIN LATERAL unnest(b.ids, b.cls, b.value, b.score, b.broken)
  WITH ORDINALITY AS u(record_id, pred_class, pred_value, score, broken, pos);

-- The stored predictions of a model among the ids p_ids: record id, received_at, class, value, score,
-- input faults.
-- The GIN index of prediction_keys finds the blocks, then each block is one index probe and a hash join
-- picks its records. Months that begin more than a day after the statement are pruned at run time (a day,
-- not the transaction's now(): a batch committed after this transaction began must be found). The
-- subquery keeps the (model_id, seq) index out of the id search, and sequential scans are off: on a
-- partition not analyzed yet the planner would otherwise test every block's ids against every p_id.
-- Planned on every call with the actual ids (EXECUTE ... USING): a generic plan cannot know the array's
-- length and joined 1,000 ids to a block's 1,000 records by a nested loop (280 ms instead of 4 ms).
CREATE FUNCTION driftgate_prediction_keys(p_model bigint, p_ids text[])
RETURNS TABLE (record_id text, received_at timestamptz, cls text, value double precision, score double precision,
               broken text)
LANGUAGE plpgsql STABLE SET enable_seqscan = off AS $$
BEGIN
  RETURN QUERY EXECUTE
    'SELECT u.record_id, b.received_at, u.cls, u.value, u.score, u.broken '
    'FROM (SELECT k.model_id, k.seq FROM prediction_keys k WHERE k.ids && $2 '
    '      AND k.received_at < statement_timestamp() + interval ''1 day'' OFFSET 0) k '
    'JOIN prediction_blocks b ON b.model_id = $1 AND b.seq = k.seq '
    'CROSS JOIN LATERAL unnest(b.ids, b.cls, b.value, b.score, b.broken) AS u(record_id, cls, value, score, broken) '
    'JOIN unnest($2) AS q(id) ON q.id = u.record_id '
    'WHERE k.model_id = $1'
    USING p_model, p_ids;
END $$;

-- One seq per block, drawn when the block is written (in the model's insert order, as before per row).
ALTER TABLE prediction_blocks ALTER COLUMN seq SET DEFAULT nextval('predictions_seq');
