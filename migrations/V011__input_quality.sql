-- Input quality per prediction, judged at ingest against the model's reference profile
-- (core/evaluate/input_quality.h), so that the evaluation that confirms a KPI breach can judge the quality of
-- exactly the pairs it evaluated (core/evaluate/input_veto.h) — whichever replica took which request, at any
-- traffic rate, without waiting for a periodic drift check.
--
-- record_keys.broken, on a prediction's key row (kind 'p'): the faults its features had when it arrived, as
-- fault codes `position * 4 + kind` (kind 0 missing, 1 type error, 2 out of range, 3 unseen category;
-- position in model_features below):
--   NULL       judged, no fault (the common case costs no byte: the row's null bitmap exists anyway)
--   '{}'       not judged: the model had no complete reference when the prediction arrived
--   '{9,14}'   the faults, ascending
-- It sits on the key row because that is what every evaluation reads a pair's prediction side from (labels,
-- the late-pair queue and policy backtests), never the raw day partitions. Rows stored before this migration
-- read as judged without fault. Label key rows (kind 'l') leave it NULL.
ALTER TABLE record_keys ADD COLUMN broken smallint[];

-- The model's feature dictionary: a fault code's position names its feature for as long as the model lives,
-- across reference changes (a pair in the window may have been judged against an earlier reference). Each
-- feature of a reference gets a position when that reference's profile is first built; missing_rate and
-- type_error_rate are the latest reference's own rates, the baseline a window's rate must exceed `min_ratio`
-- times to count (core/evaluate/data_quality.h). Written under advisory lock (4, model_id).
CREATE TABLE model_features (
  model_id        bigint           NOT NULL,
  position        smallint         NOT NULL CHECK (position >= 0 AND position < 8192),
  name            text             NOT NULL,
  missing_rate    double precision NOT NULL DEFAULT 0,
  type_error_rate double precision NOT NULL DEFAULT 0,
  PRIMARY KEY (model_id, position),
  UNIQUE (model_id, name)
);
