ALTER TABLE checkpoints DROP COLUMN rescored_because;
-- A held benchmark close has no place before this (completed batches included).
ALTER TABLE checkpoints DISABLE TRIGGER checkpoints_require_active_batch;
UPDATE checkpoints SET benchmark_price = NULL
WHERE status = 'skipped' AND benchmark_price IS NOT NULL;
ALTER TABLE checkpoints ENABLE TRIGGER checkpoints_require_active_batch;
ALTER TABLE checkpoints DROP CONSTRAINT checkpoints_computed_has_price;
ALTER TABLE checkpoints ADD CONSTRAINT checkpoints_computed_has_price CHECK (
    (status = 'computed' AND benchmark_price IS NOT NULL AND skip_reason IS NULL)
    OR (status = 'skipped' AND benchmark_price IS NULL AND benchmark_return_pct IS NULL
        AND skip_reason IS NOT NULL)
);
ALTER TABLE pick_checkpoint_skips DROP COLUMN held_close;

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

-- A pick's splits go back; the benchmark's and the dividends have no place before this.
INSERT INTO pick_split_adjustments (id, pick_id, effective_date, split_factor)
SELECT a.id, p.id, a.action_date, a.value
FROM batch_corporate_actions a JOIN picks p ON p.batch_id = a.batch_id AND p.ticker = a.symbol
WHERE a.kind = 'split' AND a.value < 1000;
GRANT SELECT ON pick_split_adjustments TO alpha_monday_reader;

DROP TABLE batch_corporate_actions;
DROP TABLE corporate_action_lookups;
DROP TABLE corporate_actions;
