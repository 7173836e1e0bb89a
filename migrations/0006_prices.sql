-- depends: 0005_events
-- Cache of daily closes shared by all batches: a close is fetched from the market once.
CREATE TABLE prices (
    symbol text NOT NULL,
    trading_date date NOT NULL,
    close numeric NOT NULL CHECK (close > 0),
    fetched_at timestamptz NOT NULL,
    PRIMARY KEY (symbol, trading_date)
);
