-- Segments, continued (core/evaluate/segments.h).
--
-- * reference_records.segment: the reference row's segment, so that a data-drift check can compare a
--   segment's window rows with the segment's own slice of the reference (service/segment_drift.h).
--   Automatic references captured before this migration get theirs from the stored predictions below;
--   an uploaded reference stored before it has none until it is uploaded again.
-- * drift_events.segment: the segment a data-drift result is about; NULL for the whole stream.
--   GET .../drift lists the whole stream's events, GET .../drift?segment= one segment's (each with its own
--   partial index, so neither listing walks past the other's rows).
-- * segment_windows: the segments' KPI windows, in chunks of consecutive pairs of each segment's stream
--   (service/segment_windows.h). An evaluation rewrites only the chunks its new pairs fall into and drops
--   the chunks that left the window, instead of re-encoding every segment's window into model_state.
ALTER TABLE reference_records ADD COLUMN segment text COLLATE "C";

UPDATE reference_records r SET segment = k.segment
FROM (SELECT d.model_id, p.record_id, p.segment
      FROM model_drift d
      CROSS JOIN LATERAL driftgate_prediction_keys(
        d.model_id, ARRAY(SELECT x.record_id FROM reference_records x WHERE x.model_id = d.model_id)) p
      WHERE d.source = 'auto' AND p.segment IS NOT NULL) k
WHERE r.model_id = k.model_id AND r.record_id = k.record_id;

ALTER TABLE drift_events ADD COLUMN segment text COLLATE "C";
DROP INDEX drift_events_at;
CREATE INDEX drift_events_at ON drift_events (model_id, at, seq) WHERE segment IS NULL;
CREATE INDEX drift_events_segment_at ON drift_events (model_id, segment, at, seq) WHERE segment IS NOT NULL;

CREATE TABLE segment_windows (
  model_id bigint           NOT NULL,
  segment  text COLLATE "C" NOT NULL,
  chunk    bigint           NOT NULL,  -- holds pairs chunk * size ... of the segment's stream (size in the codec)
  pairs    bytea            NOT NULL,  -- service/segment_windows.h: first position, then the pairs
  PRIMARY KEY (model_id, segment, chunk)
);
