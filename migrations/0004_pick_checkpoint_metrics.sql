-- depends: 0003_checkpoints
-- Each pick's close and returns at a computed checkpoint.
CREATE TABLE pick_checkpoint_metrics (
    id uuid PRIMARY KEY,
    checkpoint_id uuid NOT NULL REFERENCES checkpoints (id),
    pick_id uuid NOT NULL REFERENCES picks (id),
    current_price numeric NOT NULL CHECK (current_price > 0),
    absolute_return_pct numeric NOT NULL,
    vs_benchmark_pct numeric NOT NULL,
    CONSTRAINT pick_checkpoint_metrics_checkpoint_id_pick_id_key UNIQUE (checkpoint_id, pick_id)
);
CREATE INDEX ix_pick_checkpoint_metrics_checkpoint_id ON pick_checkpoint_metrics (checkpoint_id);
CREATE INDEX ix_pick_checkpoint_metrics_pick_id ON pick_checkpoint_metrics (pick_id);

-- A metric row belongs to its checkpoint's batch, so it obeys the same rule as the checkpoint.
CREATE FUNCTION refuse_metric_unless_batch_active() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    checkpoint_batch_id uuid;
    batch_status text;
BEGIN
    SELECT c.batch_id, b.status INTO checkpoint_batch_id, batch_status
    FROM checkpoints c JOIN batches b ON b.id = c.batch_id
    WHERE c.id = NEW.checkpoint_id
    FOR SHARE OF b;
    IF batch_status IS NOT NULL AND batch_status <> 'active' THEN
        RAISE EXCEPTION 'batch % is %: checkpoints may only be written for an active batch',
            checkpoint_batch_id, batch_status
            USING ERRCODE = 'AM001', HINT = 'batch_not_active';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER pick_checkpoint_metrics_require_active_batch
    BEFORE INSERT OR UPDATE ON pick_checkpoint_metrics
    FOR EACH ROW EXECUTE FUNCTION refuse_metric_unless_batch_active();
