-- reference_records.features as json (the text, checked) instead of jsonb (parsed into a binary tree): the
-- column is only ever read back whole (drift checks parse it in the server), and while a model's automatic
-- reference is being captured every prediction batch writes its rows here a second time — building jsonb
-- was about 40 % of that batch's database time (bench/README.md, fleet).
ALTER TABLE reference_records ALTER COLUMN features TYPE json USING features::json;
