-- depends: 0011_batch_execution
-- The read API connects as a member of this role: SELECT on the published tables only, so
-- a bug or an injection in a read path can change nothing. (Roles are cluster-wide; the
-- login role and its password are the operator's: see the README.)
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'alpha_monday_reader') THEN
        CREATE ROLE alpha_monday_reader NOLOGIN;
    END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO alpha_monday_reader;
GRANT SELECT ON batches, picks, checkpoints, pick_checkpoint_metrics, pick_checkpoint_skips,
    pick_split_adjustments TO alpha_monday_reader;
