-- Secrets sealed at rest (README "Secrets at rest", service/webhook/secret_box.h).
-- models.webhook_secret, the values of models.webhook_header_secrets, outbox.secret and the secret
-- entries of outbox.headers ([name, {"sealed": "..."}]) hold AES-256-GCM sealed text,
-- `dgs1.<key id>.<base64>`, under DRIFTGATE_SECRET_KEY. secrets_key_id names the key a row's values are
-- sealed under: NULL for a row written before this version, whose values are still plaintext until
-- `driftgate serve` (at start) or `driftgate reseal` seals them — SQL cannot, it has no key. A rotation
-- re-seals every row whose key id is not the current key's (`driftgate reseal`).
ALTER TABLE models ADD COLUMN secrets_key_id text;
ALTER TABLE outbox ADD COLUMN secrets_key_id text;
-- The rows a re-seal still has to visit; small, as outside a rotation every row has the current key.
CREATE INDEX models_secrets_key ON models (secrets_key_id);
CREATE INDEX outbox_secrets_key ON outbox (secrets_key_id);
