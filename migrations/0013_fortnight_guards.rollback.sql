DROP TRIGGER events_no_truncate ON events;
DROP TRIGGER pick_checkpoint_metrics_not_on_baseline ON pick_checkpoint_metrics;
DROP FUNCTION refuse_metric_on_baseline();
DROP TRIGGER checkpoints_within_fortnight ON checkpoints;
DROP FUNCTION refuse_checkpoint_outside_fortnight();
