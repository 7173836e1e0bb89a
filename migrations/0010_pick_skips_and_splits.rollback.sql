DROP TABLE pick_split_adjustments;
DROP FUNCTION refuse_adjustment_unless_batch_active();
DROP TABLE pick_checkpoint_skips;
