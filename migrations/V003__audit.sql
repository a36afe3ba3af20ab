-- Audit log of admin actions, written in the same transaction as the action it records; and a terminal
-- 'failed' outbox state for deliveries the webhook allow-list (DRIFTGATE_WEBHOOK_ALLOW) refuses.

CREATE TABLE audit_log (
  id     bigserial   PRIMARY KEY,
  at     timestamptz NOT NULL DEFAULT now(),  -- wall time of the action's transaction
  actor  text        NOT NULL,                -- a token id (tokens.id), or 'admin-env'
  action text        NOT NULL,                -- model.create, model.replace, model.delete, reference.upload,
                                              -- token.create, token.delete
  target text        NOT NULL,                -- the model name or token id acted on
  detail jsonb       NOT NULL DEFAULT '{}'    -- never secrets, token values or hashes
);
CREATE INDEX audit_log_at ON audit_log (at, id);

ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
  CHECK (status IN ('pending', 'delivered', 'gone', 'failed'));
