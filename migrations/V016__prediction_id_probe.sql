-- The id check of a prediction batch in two steps, so that the expensive one runs before the batch takes
-- its model's drift-row lock (which serializes the model's batches to commit, db/records_repo.cpp):
--   1. this probe, without any lock: whether any of the batch's ids is among the committed blocks (the
--      GIN index of prediction_keys alone, no join: almost always nothing), and the largest block seq it
--      saw (the watermark). STABLE, so both statements read the one snapshot of the calling statement;
--   2. under the lock, only the blocks with a seq above the watermark are read back: a model's blocks
--      draw their seq under that lock and hold it to commit, so every block this probe did not see has a
--      larger seq than every block it saw.
-- Sequential scans are off for the same reason as in driftgate_prediction_keys (V012): a 1,000-id `&&`
-- evaluated row by row compares every id with every stored one. Plans are cached per session (static
-- SQL): no join here, so the generic plan is the index probe.
CREATE FUNCTION driftgate_prediction_probe(p_model bigint, p_ids text[], OUT watermark bigint, OUT known boolean)
LANGUAGE plpgsql STABLE SET enable_seqscan = off AS $$
BEGIN
  SELECT coalesce(max(b.seq), 0) INTO watermark FROM prediction_blocks b WHERE b.model_id = p_model;
  known := EXISTS (SELECT 1 FROM prediction_keys k WHERE k.model_id = p_model AND k.ids && p_ids
                   AND k.received_at < statement_timestamp() + interval '1 day');
END $$;
