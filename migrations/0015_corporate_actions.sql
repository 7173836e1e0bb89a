-- depends: 0014_batch_origin
-- Corporate actions, for total returns and for explaining big moves (docs/scoring.md).

-- The splits and cash dividends a source reports for a symbol, shared by all batches like
-- `prices`: a split's value is its factor (shares after per share before), a dividend's its
-- amount per share; the date is the split's effective date or the dividend's ex-date.
CREATE TABLE corporate_actions (
    source text NOT NULL CHECK (source IN ('alpha_vantage', 'offline_synthetic')),
    symbol text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('split', 'dividend')),
    action_date date NOT NULL,
    value numeric NOT NULL CHECK (value > 0 AND value < 10000000),
    fetched_at timestamptz NOT NULL,
    PRIMARY KEY (source, symbol, kind, action_date)
);

-- One look-up per symbol and New York day at most, whichever batch asks.
CREATE TABLE corporate_action_lookups (
    source text NOT NULL,
    symbol text NOT NULL,
    looked_up_on date NOT NULL,
    fetched_at timestamptz NOT NULL,
    PRIMARY KEY (source, symbol, looked_up_on)
);

-- The actions a batch counts for its picks' symbols and its benchmark, from the first day
-- it counted each: what the batch detail publishes, so every return is reproducible.
CREATE TABLE batch_corporate_actions (
    id uuid PRIMARY KEY,
    batch_id uuid NOT NULL REFERENCES batches (id),
    symbol text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('split', 'dividend')),
    action_date date NOT NULL,
    value numeric NOT NULL CHECK (value > 0 AND value < 10000000),
    first_counted_on date NOT NULL,
    CONSTRAINT batch_corporate_actions_batch_symbol_kind_date_key
        UNIQUE (batch_id, symbol, kind, action_date)
);
CREATE INDEX ix_batch_corporate_actions_batch_id ON batch_corporate_actions (batch_id);
CREATE TRIGGER batch_corporate_actions_require_active_batch
    BEFORE INSERT OR UPDATE ON batch_corporate_actions
    FOR EACH ROW EXECUTE FUNCTION refuse_checkpoint_unless_batch_active();

-- The splits confirmed so far become the batch's counted actions (same values).
INSERT INTO batch_corporate_actions
    (id, batch_id, symbol, kind, action_date, value, first_counted_on)
SELECT a.id, p.batch_id, p.ticker, 'split', a.effective_date, a.split_factor,
    coalesce((
        SELECT min(c.checkpoint_date) FROM checkpoints c
        JOIN pick_checkpoint_metrics m ON m.checkpoint_id = c.id
        WHERE m.pick_id = p.id AND c.checkpoint_date >= a.effective_date
    ), a.effective_date)
FROM pick_split_adjustments a JOIN picks p ON p.id = a.pick_id;
DROP TABLE pick_split_adjustments;
DROP FUNCTION refuse_adjustment_unless_batch_active();

-- A close held back as an unexplained move keeps that close, for the next sessions to
-- decide on; a skipped day whose benchmark move is unexplained keeps its close likewise.
ALTER TABLE pick_checkpoint_skips ADD COLUMN held_close numeric NULL
    CHECK (held_close > 0 AND held_close < 10000000);
ALTER TABLE checkpoints DROP CONSTRAINT checkpoints_computed_has_price;
ALTER TABLE checkpoints ADD CONSTRAINT checkpoints_computed_has_price CHECK (
    (status = 'computed' AND benchmark_price IS NOT NULL AND skip_reason IS NULL)
    OR (status = 'skipped' AND benchmark_return_pct IS NULL AND skip_reason IS NOT NULL
        AND (benchmark_price IS NULL OR skip_reason LIKE 'unconfirmed move: %'))
);
-- Why a published day's values were changed later (the events keep old and new values).
ALTER TABLE checkpoints ADD COLUMN rescored_because text NULL;

GRANT SELECT ON batch_corporate_actions TO alpha_monday_reader;
