-- Carbon-aware deferral (optional policy `policy.deferral_hours`).
--
-- grid_forecast: a grid-intensity forecast per region, replaced as a whole by PUT /v1/grid-forecast.
-- Each point starts a slot that lasts until the next point (step function); wall time, not data time.
CREATE TABLE grid_forecast (
  region     text             NOT NULL,
  at         timestamptz      NOT NULL,
  g_per_kwh  double precision NOT NULL CHECK (g_per_kwh >= 0 AND g_per_kwh < 'Infinity'),
  updated_at timestamptz      NOT NULL DEFAULT now(),
  PRIMARY KEY (region, at)
);

-- The deferral a retrain request got, on the retrain run and on its decision (NULL: the model has no
-- deferral window): {"requested_at", "scheduled_for" (wall time, RFC 3339), "window_hours", "region",
-- "g_per_kwh_now", "g_per_kwh_scheduled" (null when the forecast does not cover the window), "reason"}.
-- The outbox row's next_attempt_at is scheduled_for. The ledger costs a retrain's CO2e at
-- g_per_kwh_scheduled when it is known.
ALTER TABLE retrains ADD COLUMN deferral jsonb;
ALTER TABLE decisions ADD COLUMN deferral jsonb;
