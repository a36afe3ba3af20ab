-- Label-free estimates for multiclass models and multivariate drift.
--
-- reference_records.scores: a multiclass reference prediction's class -> probability object (the `score`
-- object of the ingest API), which the one-vs-rest calibration of multiclass CBPE fits on
-- (core/kpi/cbpe_multiclass.h). Read once per reference version (the drift monitor caches it); the current
-- window's scores come from the prediction blocks' columnar bodies, not from JSON.
ALTER TABLE reference_records ADD COLUMN scores json;

-- Whether the latest multivariate (PCA reconstruction error) check alarmed: a `warn` decision is written
-- when an alarm starts, not at every check of a lasting one (core/stats/reconstruction.h).
ALTER TABLE model_drift ADD COLUMN last_multivariate_alert boolean NOT NULL DEFAULT false;

-- Multivariate checks are drift events of their own kind (GET .../drift, `kind: multivariate`).
ALTER TABLE drift_events DROP CONSTRAINT drift_events_kind_check;
ALTER TABLE drift_events ADD CONSTRAINT drift_events_kind_check CHECK (kind IN ('detector', 'data', 'multivariate'));

-- A multiclass estimate's per-class precision and recall ({class: {"precision": {...}, "recall": {...}}}),
-- beside its KPIs; NULL for binary models.
ALTER TABLE estimated_metrics ADD COLUMN per_class jsonb;
