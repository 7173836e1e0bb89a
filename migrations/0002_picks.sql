-- depends: 0001_batches
-- The model's three picks of a batch, with the baseline close each is measured from.
CREATE TABLE picks (
    id uuid PRIMARY KEY,
    batch_id uuid NOT NULL REFERENCES batches (id),
    ticker text NOT NULL CHECK (ticker ~ '^[A-Z][A-Z0-9.\-]{0,9}$'),
    action text NOT NULL CHECK (action IN ('BUY', 'SELL')),
    reasoning text NOT NULL CHECK (length(btrim(reasoning)) > 0),
    initial_price numeric NOT NULL CHECK (initial_price > 0),
    CONSTRAINT picks_batch_id_ticker_key UNIQUE (batch_id, ticker)
);
CREATE INDEX ix_picks_batch_id ON picks (batch_id);
