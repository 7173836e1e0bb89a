REVOKE SELECT ON batches, picks, checkpoints, pick_checkpoint_metrics, pick_checkpoint_skips,
    pick_split_adjustments FROM alpha_monday_reader;
REVOKE USAGE ON SCHEMA public FROM alpha_monday_reader;
-- Another database of the cluster may still grant to the role: then it stays.
DO $$
BEGIN
    DROP ROLE alpha_monday_reader;
EXCEPTION
    WHEN dependent_objects_still_exist OR undefined_object THEN NULL;
END
$$;
