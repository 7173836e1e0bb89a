-- Back to one set of picks per batch: only possible while every batch has one entry (a
-- second contender's picks cannot be folded into the first's without losing them).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM entries GROUP BY batch_id HAVING count(*) > 1) THEN
        RAISE EXCEPTION 'some batches hold more than one entry: rolling back would lose picks';
    END IF;
END
$$;
DROP TRIGGER entries_are_fixed_once_committed ON entries;
ALTER TABLE picks DROP CONSTRAINT picks_entry_id_ticker_key;
ALTER TABLE picks ADD CONSTRAINT picks_batch_id_ticker_key UNIQUE (batch_id, ticker);
ALTER TABLE picks DROP CONSTRAINT picks_entry_fkey;
ALTER TABLE picks DROP COLUMN entry_id;
DROP TABLE entries;
