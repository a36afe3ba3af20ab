-- A token restricted to a model is bound to the model's identity (models.id), not to its name: a model
-- deleted and created again under the same name is another model, and the old token must not reach it.
-- No foreign key: deleting the model must leave the token restricted to a model that no longer exists
-- (refused everywhere), not turn it into an unrestricted token (ON DELETE SET NULL would).
ALTER TABLE tokens ADD COLUMN model_id bigint;

UPDATE tokens t SET model_id = m.id FROM models m WHERE t.model IS NOT NULL AND m.name = t.model;

COMMENT ON COLUMN tokens.model IS 'the restricted model''s name when the token was created (display only)';
COMMENT ON COLUMN tokens.model_id IS 'the restricted model (models.id); NULL with model set: the model is gone';
