-- depends: 0016_total_returns
-- The commitment: the SHA-256 of the canonical JSON of what a batch committed (run date,
-- model, prompt version, commit time, picks with ticker, action and reasoning), computed in
-- the transaction that stores the picks (docs/commitment.md). Batches stored before carry
-- none: a hash computed now would prove nothing about then.
ALTER TABLE batches ADD COLUMN commitment_sha256 text NULL
    CHECK (commitment_sha256 ~ '^[0-9a-f]{64}$');
ALTER TABLE batches ADD COLUMN committed_at timestamptz NULL;
ALTER TABLE batches ADD CONSTRAINT batches_commitment_has_its_time
    CHECK ((commitment_sha256 IS NULL) = (committed_at IS NULL));

-- What was committed never changes afterwards (the status does, the commitment not).
CREATE FUNCTION refuse_commitment_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.commitment_sha256 IS NOT NULL AND (
        NEW.commitment_sha256 IS DISTINCT FROM OLD.commitment_sha256
        OR NEW.committed_at IS DISTINCT FROM OLD.committed_at
        OR NEW.run_date IS DISTINCT FROM OLD.run_date
        OR NEW.model IS DISTINCT FROM OLD.model
        OR NEW.prompt_version IS DISTINCT FROM OLD.prompt_version
    ) THEN
        RAISE EXCEPTION 'the commitment of batch % never changes', OLD.id USING ERRCODE = 'AM004';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER batches_commitment_is_fixed
    BEFORE UPDATE ON batches
    FOR EACH ROW EXECUTE FUNCTION refuse_commitment_change();

CREATE FUNCTION refuse_committed_pick_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM batches WHERE id = OLD.batch_id AND commitment_sha256 IS NOT NULL
    ) THEN
        RAISE EXCEPTION 'the picks of batch % are committed: they never change', OLD.batch_id
            USING ERRCODE = 'AM004';
    END IF;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
CREATE TRIGGER picks_are_fixed_once_committed
    BEFORE UPDATE OR DELETE ON picks
    FOR EACH ROW EXECUTE FUNCTION refuse_committed_pick_change();
