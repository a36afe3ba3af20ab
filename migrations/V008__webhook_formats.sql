-- Pipeline adapters (README "Pipeline adapters"): the webhook's receiver format and extra headers.
--
-- models.webhook_header_secrets: the values of secret extra headers, {"Authorization": "Bearer ..."},
-- kept apart from `config` (which only says {"secret_set": true}) like webhook_secret; never returned.
-- outbox.headers: the extra headers of this delivery, rendered at decision time like the body
-- ([[name, value], ...]); outbox.format: the receiver format ('airflow' counts a 409 for its stable
-- dag_run_id as delivered). NULL for rows written before V008: standard, no extra headers.
ALTER TABLE models ADD COLUMN webhook_header_secrets jsonb;
ALTER TABLE outbox ADD COLUMN headers jsonb;
ALTER TABLE outbox ADD COLUMN format text;
