-- depends: 0017_commitment
-- The arena: a batch (still one per Monday) holds one entry per contender (a model and its
-- prompt version, or the random control), and every pick belongs to an entry. Two
-- contenders may pick the same stock, so a ticker is unique per entry, not per batch.
-- Every batch stored before becomes one model entry holding all its picks: no published
-- number changes (docs/arena.md).
CREATE TABLE entries (
    id uuid PRIMARY KEY,
    batch_id uuid NOT NULL REFERENCES batches (id),
    -- The contenders' configured order: the first model entry is the batch's own model.
    position smallint NOT NULL CHECK (position >= 0),
    contender text NOT NULL CHECK (length(btrim(contender)) > 0),
    kind text NOT NULL CHECK (kind IN ('model', 'control')),
    -- The model that answered (the API's name for it) and the prompt it was given.
    model text NULL,
    prompt_version text NULL,
    -- Why the entry has no picks (a model that failed after its retries, a control the
    -- market could not draw); null otherwise.
    error text NULL,
    -- The random control: its seed, the universe it was drawn from and the list's as-of
    -- date, and the tickers the market did not know (redrawn in order).
    control_seed text NULL,
    universe text NULL,
    universe_as_of date NULL,
    redrawn text[] NOT NULL DEFAULT '{}',
    CONSTRAINT entries_contender_once UNIQUE (batch_id, contender),
    CONSTRAINT entries_position_once UNIQUE (batch_id, position),
    CONSTRAINT entries_id_batch_key UNIQUE (id, batch_id),
    CONSTRAINT entries_control_has_its_draw CHECK (
        (kind = 'control') = (control_seed IS NOT NULL)
        AND (control_seed IS NULL) = (universe IS NULL)
        AND (universe IS NULL) = (universe_as_of IS NULL)
    )
);

-- One entry per existing batch, with an id derived from the batch's (no extension needed,
-- and the same database migrated twice gets the same ids).
INSERT INTO entries (id, batch_id, position, contender, kind, model, prompt_version)
SELECT md5(b.id::text || ':entry')::uuid, b.id, 0, coalesce(b.model, 'unknown'), 'model',
    b.model, b.prompt_version
FROM batches b;

ALTER TABLE picks ADD COLUMN entry_id uuid NULL;
-- Committed picks never change (0017); giving each its entry changes no committed value.
ALTER TABLE picks DISABLE TRIGGER picks_are_fixed_once_committed;
UPDATE picks SET entry_id = md5(batch_id::text || ':entry')::uuid;
ALTER TABLE picks ENABLE TRIGGER picks_are_fixed_once_committed;
ALTER TABLE picks ALTER COLUMN entry_id SET NOT NULL;
-- The pick's batch is its entry's batch.
ALTER TABLE picks ADD CONSTRAINT picks_entry_fkey
    FOREIGN KEY (entry_id, batch_id) REFERENCES entries (id, batch_id);
ALTER TABLE picks DROP CONSTRAINT picks_batch_id_ticker_key;
ALTER TABLE picks ADD CONSTRAINT picks_entry_id_ticker_key UNIQUE (entry_id, ticker);

-- What was committed never changes afterwards: entries neither (0017's rule for picks).
CREATE TRIGGER entries_are_fixed_once_committed
    BEFORE UPDATE OR DELETE ON entries
    FOR EACH ROW EXECUTE FUNCTION refuse_committed_pick_change();

GRANT SELECT ON entries TO alpha_monday_reader;
