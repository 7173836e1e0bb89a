-- depends: 0002_picks
-- One row per tracked day of a batch: the baseline (benchmark_return_pct NULL) and checkpoints 1..14.
CREATE TABLE checkpoints (
    id uuid PRIMARY KEY,
    batch_id uuid NOT NULL REFERENCES batches (id),
    checkpoint_date date NOT NULL,
    status text NOT NULL CHECK (status IN ('computed', 'skipped')),
    benchmark_price numeric NULL CHECK (benchmark_price > 0),
    benchmark_return_pct numeric NULL,
    -- Why a checkpoint holds no prices (weekend, holiday, close never published); NULL when computed.
    skip_reason text NULL,
    CONSTRAINT checkpoints_batch_id_checkpoint_date_key UNIQUE (batch_id, checkpoint_date),
    CONSTRAINT checkpoints_computed_has_price CHECK (
        (status = 'computed' AND benchmark_price IS NOT NULL AND skip_reason IS NULL)
        OR (status = 'skipped' AND benchmark_price IS NULL AND benchmark_return_pct IS NULL
            AND skip_reason IS NOT NULL)
    )
);
CREATE INDEX ix_checkpoints_batch_id ON checkpoints (batch_id);

-- The database, not only the application, refuses a checkpoint for a batch that is not active.
-- FOR SHARE makes a concurrent status change wait, so the check cannot be raced.
CREATE FUNCTION refuse_checkpoint_unless_batch_active() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    batch_status text;
BEGIN
    SELECT status INTO batch_status FROM batches WHERE id = NEW.batch_id FOR SHARE;
    IF batch_status IS NOT NULL AND batch_status <> 'active' THEN
        RAISE EXCEPTION 'batch % is %: checkpoints may only be written for an active batch',
            NEW.batch_id, batch_status
            USING ERRCODE = 'AM001', HINT = 'batch_not_active';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER checkpoints_require_active_batch
    BEFORE INSERT OR UPDATE ON checkpoints
    FOR EACH ROW EXECUTE FUNCTION refuse_checkpoint_unless_batch_active();
