-- Data drift: a per-model reference, counters that say when a check is due, and an insertion sequence on
-- predictions so that "the last N predictions" is an index range.

CREATE SEQUENCE predictions_seq CACHE 1000;
ALTER TABLE predictions ADD COLUMN seq bigint NOT NULL DEFAULT nextval('predictions_seq');
CREATE INDEX predictions_recent ON predictions (model_id, seq);

-- The reference sample: the first `reference.size` predictions after creation or after a successful
-- retrain (source 'auto'), or an uploaded baseline (source 'uploaded').
CREATE TABLE reference_records (
  model_id   bigint           NOT NULL,
  record_id  text             NOT NULL,
  features   jsonb,
  pred_class text,
  pred_value double precision,
  score      double precision,
  PRIMARY KEY (model_id, record_id)
);

CREATE TABLE model_drift (
  model_id            bigint  PRIMARY KEY,
  source              text    NOT NULL DEFAULT 'auto' CHECK (source IN ('auto', 'uploaded')),
  reference_count     integer NOT NULL DEFAULT 0,
  reference_version   integer NOT NULL DEFAULT 1,   -- bumps whenever the reference changes (cache key)
  baseline_seq        bigint  NOT NULL DEFAULT 0,   -- predictions with seq above it belong to this baseline
  received            bigint  NOT NULL DEFAULT 0,   -- predictions accepted since the baseline
  last_check_received bigint  NOT NULL DEFAULT 0,
  last_dataset_drift  boolean NOT NULL DEFAULT false
);
