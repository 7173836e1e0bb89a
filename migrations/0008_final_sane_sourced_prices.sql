-- depends: 0007_provider_call_budget
-- prices: which source each close came from (reads never mix sources), only final closes
-- (fetched after 16:00 New York on their date), and only sane values (NaN and Infinity
-- pass `close > 0` in PostgreSQL; `close < 10000000` refuses both).
-- Rows cached before this migration cannot prove either: they keep their values for the
-- record under the source 'unverified', which no read ever uses.
DELETE FROM prices WHERE NOT (close > 0 AND close < 10000000);
ALTER TABLE prices ADD COLUMN source text;
UPDATE prices SET source = 'unverified';
ALTER TABLE prices ALTER COLUMN source SET NOT NULL;
ALTER TABLE prices DROP CONSTRAINT prices_pkey;
ALTER TABLE prices ADD PRIMARY KEY (source, symbol, trading_date);
ALTER TABLE prices DROP CONSTRAINT prices_close_check;
ALTER TABLE prices ADD CONSTRAINT prices_source_known
    CHECK (source IN ('alpha_vantage', 'offline_synthetic', 'unverified'));
ALTER TABLE prices ADD CONSTRAINT prices_close_is_sane CHECK (close > 0 AND close < 10000000);
ALTER TABLE prices ADD CONSTRAINT prices_close_is_final CHECK (
    source = 'unverified'
    OR fetched_at >= (trading_date + time '16:00') AT TIME ZONE 'America/New_York'
);

-- Every stored price obeys the same bounds.
ALTER TABLE batches ADD CONSTRAINT batches_benchmark_initial_price_is_sane
    CHECK (benchmark_initial_price < 10000000);
ALTER TABLE picks ADD CONSTRAINT picks_initial_price_is_sane CHECK (initial_price < 10000000);
ALTER TABLE checkpoints ADD CONSTRAINT checkpoints_benchmark_price_is_sane
    CHECK (benchmark_price < 10000000);
ALTER TABLE pick_checkpoint_metrics ADD CONSTRAINT pick_checkpoint_metrics_current_price_is_sane
    CHECK (current_price < 10000000);
