-- depends: 0008_final_sane_sourced_prices
-- Scores every stored return again from the stored prices, per DESIGN.md section 3:
--   absolute_return_pct = direction x r_pick, vs_benchmark_pct = direction x (r_pick - r_benchmark)
-- (a SELL used to be scored -r_pick - r_benchmark), at 6 decimal places, half-even.
-- Skip reasons take their documented, distinct wording.
CREATE FUNCTION pg_temp.half_even(value numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN abs(value * 1000000 - trunc(value * 1000000)) = 0.5
             AND mod(trunc(value * 1000000), 2) = 0
        THEN trunc(value, 6)
        ELSE round(value, 6)
    END
$$;

-- Finished batches are rescored too: the migration, not a workflow step, writes here.
ALTER TABLE checkpoints DISABLE TRIGGER checkpoints_require_active_batch;
ALTER TABLE pick_checkpoint_metrics DISABLE TRIGGER pick_checkpoint_metrics_require_active_batch;

UPDATE checkpoints c
SET benchmark_return_pct = pg_temp.half_even(
    (c.benchmark_price - b.benchmark_initial_price) / b.benchmark_initial_price * 100)
FROM batches b
WHERE b.id = c.batch_id AND c.benchmark_return_pct IS NOT NULL;

UPDATE pick_checkpoint_metrics m
SET absolute_return_pct = pg_temp.half_even(
        CASE p.action WHEN 'BUY' THEN 1 ELSE -1 END
        * (m.current_price - p.initial_price) / p.initial_price * 100),
    vs_benchmark_pct = pg_temp.half_even(
        CASE p.action WHEN 'BUY' THEN 1 ELSE -1 END
        * ((m.current_price - p.initial_price) / p.initial_price * 100
           - (c.benchmark_price - b.benchmark_initial_price) / b.benchmark_initial_price * 100))
FROM picks p, checkpoints c, batches b
WHERE p.id = m.pick_id AND c.id = m.checkpoint_id AND b.id = c.batch_id;

UPDATE checkpoints SET skip_reason = 'holiday: ' || substr(skip_reason, length('NYSE holiday: ') + 1)
WHERE skip_reason LIKE 'NYSE holiday: %';
UPDATE checkpoints SET skip_reason = 'rate limited'
WHERE skip_reason = 'close never published (MarketDataRateLimited)';
UPDATE checkpoints SET skip_reason = 'provider unavailable'
WHERE skip_reason = 'close never published (MarketDataUnavailable)';
UPDATE checkpoints SET skip_reason = 'close never published'
WHERE skip_reason LIKE 'close never published (%)';

ALTER TABLE checkpoints ENABLE TRIGGER checkpoints_require_active_batch;
ALTER TABLE pick_checkpoint_metrics ENABLE TRIGGER pick_checkpoint_metrics_require_active_batch;

ALTER TABLE checkpoints ADD CONSTRAINT checkpoints_return_at_scale_6
    CHECK (scale(benchmark_return_pct) = 6);
ALTER TABLE pick_checkpoint_metrics ADD CONSTRAINT pick_checkpoint_metrics_returns_at_scale_6
    CHECK (scale(absolute_return_pct) = 6 AND scale(vs_benchmark_pct) = 6);
