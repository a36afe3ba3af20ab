-- The baseline tables of bench/run.sh, in the baseline database (already migrated like the server's).
--
-- baseline_single: the plain one-table layout a prediction store is compared with (bench/README.md,
-- "Compact feature storage"): one row per prediction, features as jsonb, idempotent by its primary key.
CREATE TABLE baseline_single (
  model_id   int,
  id         text,
  ts         timestamptz,
  features   jsonb,
  prediction float8,
  score      float8,
  PRIMARY KEY (model_id, id)
);

-- baseline_predictions: the raw prediction rows as driftgate stored them before prediction blocks
-- (migrations/V004__partitions.sql: a day partition and the (model_id, seq) index), COPYed together with
-- their record_keys rows as the two-table baseline.
CREATE TABLE baseline_predictions (
  model_id    bigint           NOT NULL,
  record_id   text             NOT NULL,
  ts          timestamptz      NOT NULL,
  received_at timestamptz      NOT NULL DEFAULT now(),
  pred_class  text,
  pred_value  double precision,
  score       double precision,
  scores      jsonb,
  features    jsonb,
  segment     text,
  seq         bigint           NOT NULL DEFAULT nextval('predictions_seq')
) PARTITION BY RANGE (received_at);
CREATE TABLE baseline_predictions_today PARTITION OF baseline_predictions
  FOR VALUES FROM ((now() AT TIME ZONE 'UTC')::date::timestamp AT TIME ZONE 'UTC')
  TO (((now() AT TIME ZONE 'UTC')::date + 2)::timestamp AT TIME ZONE 'UTC');
CREATE INDEX baseline_predictions_recent ON baseline_predictions (model_id, seq);
