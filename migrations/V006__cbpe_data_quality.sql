-- Label-free performance estimates (CBPE) and the data-quality veto.
--
-- estimated_metrics: one point per drift check of a binary model with scores — each KPI estimated from
-- the calibrated scores of the check's window (core/kpi/cbpe.h), shaped like metrics.kpis. A table of its
-- own, so that everything reading the realized series (closed loop, ledger, /metrics) never sees estimates.
CREATE TABLE estimated_metrics (
  model_id   bigint      NOT NULL,
  seq        bigserial,
  at         timestamptz NOT NULL,  -- data time: the latest prediction ts of the window
  created_at timestamptz NOT NULL DEFAULT now(),
  generation integer     NOT NULL,
  n          integer     NOT NULL,  -- predictions in the window
  kpis       jsonb       NOT NULL,
  PRIMARY KEY (model_id, seq)
);
CREATE INDEX estimated_metrics_at ON estimated_metrics (model_id, at, seq);

-- The latest drift check's data-quality verdict (core/evaluate/data_quality.h), read by the live
-- evaluation under the model's lock, and the reason code of the latest estimated judgement (a decision is
-- written when it changes).
ALTER TABLE model_drift ADD COLUMN dq_incident boolean NOT NULL DEFAULT false;
ALTER TABLE model_drift ADD COLUMN dq_broken jsonb NOT NULL DEFAULT '[]';
ALTER TABLE model_drift ADD COLUMN estimated_code text NOT NULL DEFAULT 'none:ok';
