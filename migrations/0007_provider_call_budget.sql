-- depends: 0006_prices
-- Calls made to a rate-limited provider per day, shared by every concurrent Lambda.
CREATE TABLE provider_call_budget (
    provider text NOT NULL,
    budget_date date NOT NULL,
    calls integer NOT NULL DEFAULT 0 CHECK (calls >= 0),
    last_call_at timestamptz NULL,
    PRIMARY KEY (provider, budget_date)
);
