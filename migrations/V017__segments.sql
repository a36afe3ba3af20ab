-- Segments: each prediction's `segment` travels with its pair, so an evaluation can keep a KPI window per
-- segment (core/evaluate/segments.h).
--
-- * prediction_blocks.segments: the block's segments, one per record (NULL: none), beside ids/cls/value.
--   Blocks written before this migration have NULL here; unnest pads a NULL array with NULLs, so their
--   records count as unsegmented (the segment stays in the block body, db/feature_block.h).
-- * segment_metrics: one point per segment per evaluation that fed it pairs, with the segment's state
--   (ok|warn|breach) — the per-segment KPI series and the source of GET .../segments.
-- * decisions.segment: the segment a decision is about; NULL for the whole stream.
ALTER TABLE prediction_blocks ADD COLUMN segments text[] COMPRESSION lz4;
ALTER TABLE decisions ADD COLUMN segment text;

CREATE TABLE segment_metrics (
  model_id   bigint      NOT NULL,
  seq        bigserial,
  segment    text        COLLATE "C" NOT NULL,
  at         timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  generation integer     NOT NULL,
  n          integer     NOT NULL,
  state      text        NOT NULL CHECK (state IN ('ok', 'warn', 'breach')),
  kpis       jsonb       NOT NULL,
  PRIMARY KEY (model_id, seq)
);
CREATE INDEX segment_metrics_at ON segment_metrics (model_id, segment, at, seq);

-- As in V012, with each record's segment as the last column.
DROP FUNCTION driftgate_prediction_keys(bigint, text[]);
CREATE FUNCTION driftgate_prediction_keys(p_model bigint, p_ids text[])
RETURNS TABLE (record_id text, received_at timestamptz, cls text, value double precision, score double precision,
               broken text, segment text)
LANGUAGE plpgsql STABLE SET enable_seqscan = off AS $$
BEGIN
  RETURN QUERY EXECUTE
    'SELECT u.record_id, b.received_at, u.cls, u.value, u.score, u.broken, u.segment '
    'FROM (SELECT k.model_id, k.seq FROM prediction_keys k WHERE k.ids && $2 '
    '      AND k.received_at < statement_timestamp() + interval ''1 day'' OFFSET 0) k '
    'JOIN prediction_blocks b ON b.model_id = $1 AND b.seq = k.seq '
    'CROSS JOIN LATERAL unnest(b.ids, b.cls, b.value, b.score, b.broken, b.segments) '
    '  AS u(record_id, cls, value, score, broken, segment) '
    'JOIN unnest($2) AS q(id) ON q.id = u.record_id '
    'WHERE k.model_id = $1'
    USING p_model, p_ids;
END $$;

-- The view of V012 with each prediction's segment as a last column (what a backtest replays).
CREATE OR REPLACE VIEW predictions AS
SELECT b.model_id, u.record_id, u.pred_class, u.pred_value, u.score, b.received_at,
       b.seq * 1048576 + u.pos - 1 AS seq, u.broken, u.segment
FROM prediction_blocks b
CROSS JOIN LATERAL unnest(b.ids, b.cls, b.value, b.score, b.broken, b.segments)
  WITH ORDINALITY AS u(record_id, pred_class, pred_value, score, broken, segment, pos);
