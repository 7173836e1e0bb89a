-- depends: 0010_pick_skips_and_splits
-- The Step Functions execution that created the batch: a retry of the same execution
-- returns the batch it committed instead of failing on BatchAlreadyExists, and the stuck-run
-- sweeper finds the batch of an execution that timed out or was aborted.
ALTER TABLE batches ADD COLUMN execution_name text NULL;
ALTER TABLE batches ADD CONSTRAINT batches_execution_name_key UNIQUE (execution_name);
