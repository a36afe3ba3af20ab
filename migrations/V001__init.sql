-- driftgate schema, version 1. Forward-only; every key and join includes model_id so the schema can be
-- distributed by model_id (Citus) unchanged.

CREATE TABLE models (
  id             bigserial PRIMARY KEY,
  name           text        NOT NULL UNIQUE,
  task           text        NOT NULL,
  config         jsonb       NOT NULL,  -- the normalized config, defaults filled, webhook secret removed
  webhook_secret text,                  -- needed to sign; never returned, never logged
  generation     integer     NOT NULL DEFAULT 1,  -- bumps when a retrain succeeds (fresh baseline)
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Raw prediction stream. Idempotent by (model_id, record_id).
CREATE TABLE predictions (
  model_id    bigint           NOT NULL,
  record_id   text             NOT NULL,
  ts          timestamptz      NOT NULL,
  received_at timestamptz      NOT NULL DEFAULT now(),
  pred_class  text,                       -- classification: canonical class string
  pred_value  double precision,           -- regression
  score       double precision,           -- binary positive-class probability
  scores      jsonb,                      -- multiclass class -> probability
  features    jsonb,
  segment     text,
  PRIMARY KEY (model_id, record_id)
);

-- Ground truth, arriving late and in any order. `matched` once its prediction is known.
CREATE TABLE labels (
  model_id    bigint           NOT NULL,
  record_id   text             NOT NULL,
  label_class text,
  label_value double precision,
  ts          timestamptz      NOT NULL,  -- data time: given, or arrival time
  received_at timestamptz      NOT NULL DEFAULT now(),
  matched     boolean          NOT NULL DEFAULT false,
  PRIMARY KEY (model_id, record_id)
);
CREATE INDEX labels_waiting ON labels (model_id, record_id) WHERE NOT matched;

-- Pairs completed by a late prediction, waiting to be fed to the evaluator (in seq order).
CREATE TABLE eval_queue (
  model_id  bigint NOT NULL,
  seq       bigserial,
  record_id text   NOT NULL,
  PRIMARY KEY (model_id, seq)
);

-- Evaluation state (detectors, KPI window, last decision) — written in the label transaction.
CREATE TABLE model_state (
  model_id   bigint      PRIMARY KEY,
  version    bigint      NOT NULL DEFAULT 0,
  state      jsonb       NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE decisions (
  model_id   bigint      NOT NULL,
  seq        bigserial,
  id         uuid        NOT NULL DEFAULT gen_random_uuid(),
  at         timestamptz NOT NULL,  -- data time of the evaluation
  created_at timestamptz NOT NULL DEFAULT now(),  -- wall time
  action     text        NOT NULL CHECK (action IN ('none', 'warn', 'retrain', 'suppressed')),
  reason     text        NOT NULL,
  reason_code text       NOT NULL,
  kpis       jsonb       NOT NULL,
  detectors  jsonb       NOT NULL,
  retrain_id uuid,
  PRIMARY KEY (model_id, seq)
);
CREATE UNIQUE INDEX decisions_id ON decisions (id);
CREATE INDEX decisions_at ON decisions (model_id, at, seq);

CREATE TABLE metrics (
  model_id   bigint      NOT NULL,
  seq        bigserial,
  at         timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  generation integer     NOT NULL,
  n          integer     NOT NULL,
  kpis       jsonb       NOT NULL,
  PRIMARY KEY (model_id, seq)
);
CREATE INDEX metrics_at ON metrics (model_id, at, seq);

-- Detector alarms and data-drift results.
CREATE TABLE drift_events (
  model_id   bigint      NOT NULL,
  seq        bigserial,
  at         timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  kind       text        NOT NULL CHECK (kind IN ('detector', 'data')),
  detail     jsonb       NOT NULL,
  PRIMARY KEY (model_id, seq)
);
CREATE INDEX drift_events_at ON drift_events (model_id, at, seq);

CREATE TABLE retrains (
  model_id      bigint      NOT NULL,
  seq           bigserial,
  id            uuid        NOT NULL DEFAULT gen_random_uuid(),
  decision_id   uuid        NOT NULL,
  status        text        NOT NULL CHECK (status IN ('requested', 'running', 'succeeded', 'failed')),
  reason        text        NOT NULL,
  kpis          jsonb       NOT NULL,
  requested_at  timestamptz NOT NULL,  -- data time
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  model_version text,
  PRIMARY KEY (model_id, seq)
);
CREATE UNIQUE INDEX retrains_id ON retrains (id);
CREATE INDEX retrains_open ON retrains (model_id) WHERE status IN ('requested', 'running');

-- Transactional outbox of webhook deliveries; `id` is the stable webhook-id.
CREATE TABLE outbox (
  id              text        PRIMARY KEY,
  model_id        bigint      NOT NULL,
  retrain_id      uuid,
  url             text        NOT NULL,
  secret          text,
  body            text        NOT NULL,
  status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'gone')),
  attempts        integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  lease_until     timestamptz,
  last_status     integer,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  delivered_at    timestamptz
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';

CREATE TABLE tokens (
  id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  name       text        NOT NULL,
  hash       bytea       NOT NULL UNIQUE,  -- SHA-256 of the token value
  scopes     text[]      NOT NULL,
  model      text,                         -- optional restriction to one model name
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
