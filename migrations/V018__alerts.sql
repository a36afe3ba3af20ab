-- Alert routing (README "Alert routing"): one open alert per (model, segment, condition), updated while
-- it lasts and resolved when it ends; each state change of an alert becomes one outbox row per target.
--
-- alerts.segment: '' for the whole model (no per-segment conditions yet). alerts.state: the
-- last-notified content (action, reason code) so an unchanged evaluation sends nothing.
CREATE TABLE alerts (
  model_id    bigint      NOT NULL,
  id          uuid        NOT NULL DEFAULT gen_random_uuid(),
  segment     text        NOT NULL DEFAULT '',
  condition   text        NOT NULL CHECK (condition IN ('kpi_breach', 'warn', 'data_quality', 'delivery_failed')),
  status      text        NOT NULL CHECK (status IN ('open', 'resolved')),
  action      text        NOT NULL,
  reason      text        NOT NULL,
  reason_code text        NOT NULL,
  opened_at   timestamptz NOT NULL DEFAULT now(),  -- wall time (Alertmanager startsAt)
  data_at     timestamptz NOT NULL,                -- data time of the evaluation that opened it
  updated_at  timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  updates     integer     NOT NULL DEFAULT 0,      -- notified state changes after the opening
  PRIMARY KEY (model_id, id)
);
-- At most one open alert per (model, segment, condition): a second INSERT fails rather than duplicates.
CREATE UNIQUE INDEX alerts_one_open ON alerts (model_id, segment, condition) WHERE status = 'open';

-- outbox.notify_key: '<alert id>/<target index>' for alert notifications (NULL for retrain webhooks).
-- A newer state of the same alert for the same target supersedes an older one still pending, so a
-- receiver never gets "firing" after "resolved" (each message carries the whole state).
ALTER TABLE outbox ADD COLUMN notify_key text;
CREATE INDEX outbox_notify_pending ON outbox (notify_key) WHERE status = 'pending' AND notify_key IS NOT NULL;
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
  CHECK (status IN ('pending', 'delivered', 'gone', 'failed', 'superseded'));
