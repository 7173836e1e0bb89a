-- One weekly run: the Monday it belongs to and the benchmark's baseline close.
CREATE TABLE batches (
    id uuid PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    run_date date NOT NULL,
    benchmark_symbol text NOT NULL DEFAULT 'SPY',
    benchmark_initial_price numeric NOT NULL CHECK (benchmark_initial_price > 0),
    status text NOT NULL CHECK (status IN ('active', 'completed', 'failed')),
    model text NULL,
    CONSTRAINT batches_run_date_key UNIQUE (run_date),
    CONSTRAINT batches_run_date_is_monday CHECK (extract(isodow FROM run_date) = 1)
);
