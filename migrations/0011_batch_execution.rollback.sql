ALTER TABLE batches DROP COLUMN execution_name;
