-- The fitted direct-loss-estimation models of regression models (core/dle/dle.h): one row per model, for
-- its current reference. Stored with the reference so that a restarted server or another replica estimates
-- with the same boosters instead of fitting again; replaced when the reference's version, the labelled rows
-- it was fitted on, or the model's `dle` parameters change (service/dle_estimator.h).
CREATE TABLE dle_models (
  model_id          bigint      PRIMARY KEY,
  reference_version integer     NOT NULL,  -- model_drift.reference_version it was fitted on
  params            text        NOT NULL,  -- the fit's parameters as text: a change refits
  labelled          integer     NOT NULL,  -- labelled reference rows it was fitted on
  fitted_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
  abs_model         bytea       NOT NULL,  -- XGBoost booster of E[|error|], UBJSON (XGBoosterSaveModelToBuffer)
  sq_model          bytea       NOT NULL,  -- XGBoost booster of E[error^2], UBJSON
  encoding          jsonb       NOT NULL,  -- feature columns, categories and the holdout calibration
  CHECK (labelled > 0)
);
