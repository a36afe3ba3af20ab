-- record_keys.received_at defaults to the transaction's time, like the raw tables' received_at: a batch
-- whose ids are all new COPYs its key rows straight into record_keys (db/records_repo.cpp, ClaimAllByCopy)
-- and the rows land in the current month's partition exactly as the INSERT ... SELECT claim puts them.
ALTER TABLE record_keys ALTER COLUMN received_at SET DEFAULT now();
