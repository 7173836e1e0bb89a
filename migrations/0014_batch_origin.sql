-- depends: 0013_fortnight_guards
-- Where a batch's picks come from, so the track record can count only what could not have
-- known the outcome: `live` (committed by the real providers before 09:30 New York on its
-- run_date), `retrospective` (a manual run for a past Monday: the model may know what
-- happened), `simulated` (the offline stand-ins). And the prompt version, so the track
-- record can be split per model + prompt version.
ALTER TABLE batches ADD COLUMN origin text NULL;
ALTER TABLE batches ADD COLUMN prompt_version text NULL;

UPDATE batches b SET prompt_version = (
    SELECT e.payload ->> 'prompt_version' FROM events e
    WHERE e.batch_id = b.id AND e.event_type = 'picks_generated'
    ORDER BY e.created_at LIMIT 1
);
UPDATE batches SET origin = CASE
    WHEN model = 'offline-scripted-picker' THEN 'simulated'
    WHEN created_at < (run_date + time '09:30') AT TIME ZONE 'America/New_York' THEN 'live'
    ELSE 'retrospective'
END;

ALTER TABLE batches ALTER COLUMN origin SET NOT NULL;
ALTER TABLE batches ADD CONSTRAINT batches_origin_check
    CHECK (origin IN ('live', 'retrospective', 'simulated'));
CREATE INDEX ix_batches_origin_run_date ON batches (origin, run_date);
