DROP TRIGGER picks_are_fixed_once_committed ON picks;
DROP FUNCTION refuse_committed_pick_change();
DROP TRIGGER batches_commitment_is_fixed ON batches;
DROP FUNCTION refuse_commitment_change();
ALTER TABLE batches DROP CONSTRAINT batches_commitment_has_its_time;
ALTER TABLE batches DROP COLUMN committed_at;
ALTER TABLE batches DROP COLUMN commitment_sha256;
