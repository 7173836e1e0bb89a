ALTER TABLE pick_checkpoint_metrics DROP CONSTRAINT pick_checkpoint_metrics_current_price_is_sane;
ALTER TABLE checkpoints DROP CONSTRAINT checkpoints_benchmark_price_is_sane;
ALTER TABLE picks DROP CONSTRAINT picks_initial_price_is_sane;
ALTER TABLE batches DROP CONSTRAINT batches_benchmark_initial_price_is_sane;
ALTER TABLE prices DROP CONSTRAINT prices_close_is_final;
ALTER TABLE prices DROP CONSTRAINT prices_close_is_sane;
ALTER TABLE prices DROP CONSTRAINT prices_source_known;
ALTER TABLE prices ADD CONSTRAINT prices_close_check CHECK (close > 0);
-- One row per (symbol, date) again: the real provider's first, then the unverified ones.
DELETE FROM prices p USING prices q
WHERE p.symbol = q.symbol AND p.trading_date = q.trading_date AND p.source <> q.source
  AND array_position(ARRAY['alpha_vantage', 'unverified', 'offline_synthetic'], p.source)
    > array_position(ARRAY['alpha_vantage', 'unverified', 'offline_synthetic'], q.source);
ALTER TABLE prices DROP CONSTRAINT prices_pkey;
ALTER TABLE prices DROP COLUMN source;
ALTER TABLE prices ADD PRIMARY KEY (symbol, trading_date);
