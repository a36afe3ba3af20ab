-- Policy backtests and the closed-loop check.
--
-- labels.ord: the label's position in its ingest batch. A backtest replays stored pairs in the order the
-- live path evaluated them: grouped by the transaction that made them evaluable (greatest of the label's
-- and the prediction's received_at — every row of one transaction shares now()), then by this position.
-- NULL for labels stored before V005 (they fall back to data time, then record id).
ALTER TABLE labels ADD COLUMN ord integer;

-- The closed-loop check: the generation a retrain's success started, and, once that generation's first
-- full KPI window is evaluated, whether the KPIs that breached are back on the right side of their
-- thresholds ('improved') or not ('did_not_help'), with the data time and KPIs of the judged window.
ALTER TABLE retrains ADD COLUMN started_generation integer;
ALTER TABLE retrains ADD COLUMN outcome text CHECK (outcome IN ('improved', 'did_not_help'));
ALTER TABLE retrains ADD COLUMN outcome_at timestamptz;
ALTER TABLE retrains ADD COLUMN outcome_kpis jsonb;
