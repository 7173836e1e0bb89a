DROP INDEX ix_batches_origin_run_date;
ALTER TABLE batches DROP CONSTRAINT batches_origin_check;
ALTER TABLE batches DROP COLUMN prompt_version;
ALTER TABLE batches DROP COLUMN origin;
