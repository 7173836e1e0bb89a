-- depends: 0009_fair_scoring_at_scale_6
-- One pick without returns on a computed day (the source lost the symbol, or its close
-- jumped like an unconfirmed split), with the reason; the other picks are still recorded.
CREATE TABLE pick_checkpoint_skips (
    id uuid PRIMARY KEY,
    checkpoint_id uuid NOT NULL REFERENCES checkpoints (id),
    pick_id uuid NOT NULL REFERENCES picks (id),
    reason text NOT NULL CHECK (length(btrim(reason)) > 0),
    CONSTRAINT pick_checkpoint_skips_checkpoint_id_pick_id_key UNIQUE (checkpoint_id, pick_id)
);
CREATE INDEX ix_pick_checkpoint_skips_checkpoint_id ON pick_checkpoint_skips (checkpoint_id);
CREATE INDEX ix_pick_checkpoint_skips_pick_id ON pick_checkpoint_skips (pick_id);
CREATE TRIGGER pick_checkpoint_skips_require_active_batch
    BEFORE INSERT OR UPDATE ON pick_checkpoint_skips
    FOR EACH ROW EXECUTE FUNCTION refuse_metric_unless_batch_active();

-- A split the provider confirmed: the pick's baseline is divided by the factor from
-- effective_date on, so returns compare like with like.
CREATE TABLE pick_split_adjustments (
    id uuid PRIMARY KEY,
    pick_id uuid NOT NULL REFERENCES picks (id),
    effective_date date NOT NULL,
    split_factor numeric NOT NULL CHECK (split_factor > 0 AND split_factor < 1000),
    CONSTRAINT pick_split_adjustments_pick_id_effective_date_key UNIQUE (pick_id, effective_date)
);
CREATE INDEX ix_pick_split_adjustments_pick_id ON pick_split_adjustments (pick_id);

CREATE FUNCTION refuse_adjustment_unless_batch_active() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    pick_batch_id uuid;
    batch_status text;
BEGIN
    SELECT p.batch_id, b.status INTO pick_batch_id, batch_status
    FROM picks p JOIN batches b ON b.id = p.batch_id
    WHERE p.id = NEW.pick_id
    FOR SHARE OF b;
    IF batch_status IS NOT NULL AND batch_status <> 'active' THEN
        RAISE EXCEPTION 'batch % is %: checkpoints may only be written for an active batch',
            pick_batch_id, batch_status
            USING ERRCODE = 'AM001', HINT = 'batch_not_active';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER pick_split_adjustments_require_active_batch
    BEFORE INSERT OR UPDATE ON pick_split_adjustments
    FOR EACH ROW EXECUTE FUNCTION refuse_adjustment_unless_batch_active();
