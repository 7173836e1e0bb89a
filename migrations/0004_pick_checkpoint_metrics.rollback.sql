DROP TABLE pick_checkpoint_metrics;
DROP FUNCTION refuse_metric_unless_batch_active();
