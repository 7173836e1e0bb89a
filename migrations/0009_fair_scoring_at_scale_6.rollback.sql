-- Back to the old SELL scoring (vs = absolute - benchmark), from the stored values.
ALTER TABLE pick_checkpoint_metrics DROP CONSTRAINT pick_checkpoint_metrics_returns_at_scale_6;
ALTER TABLE checkpoints DROP CONSTRAINT checkpoints_return_at_scale_6;
ALTER TABLE checkpoints DISABLE TRIGGER checkpoints_require_active_batch;
ALTER TABLE pick_checkpoint_metrics DISABLE TRIGGER pick_checkpoint_metrics_require_active_batch;
UPDATE pick_checkpoint_metrics m
SET vs_benchmark_pct = m.absolute_return_pct - c.benchmark_return_pct
FROM checkpoints c
WHERE c.id = m.checkpoint_id;
UPDATE checkpoints SET skip_reason = 'NYSE holiday: ' || substr(skip_reason, length('holiday: ') + 1)
WHERE skip_reason LIKE 'holiday: %';
UPDATE checkpoints SET skip_reason = 'close never published (MarketDataRateLimited)'
WHERE skip_reason = 'rate limited';
UPDATE checkpoints SET skip_reason = 'close never published (MarketDataUnavailable)'
WHERE skip_reason = 'provider unavailable';
UPDATE checkpoints SET skip_reason = 'close never published (MarketDataNotReady)'
WHERE skip_reason = 'close never published';
ALTER TABLE checkpoints ENABLE TRIGGER checkpoints_require_active_batch;
ALTER TABLE pick_checkpoint_metrics ENABLE TRIGGER pick_checkpoint_metrics_require_active_batch;
