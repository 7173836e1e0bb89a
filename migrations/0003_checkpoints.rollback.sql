DROP TABLE checkpoints;
DROP FUNCTION refuse_checkpoint_unless_batch_active();
