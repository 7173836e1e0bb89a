-- depends: 0012_read_only_role
-- The database backs the schedule: a checkpoint lies within its batch's fortnight, the
-- baseline (the one row dated before run_date) is written once and never changed, and
-- no metric is recorded against it. And `events` refuses TRUNCATE as it refuses UPDATE
-- and DELETE.
CREATE FUNCTION refuse_checkpoint_outside_fortnight() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    first_day date;
BEGIN
    SELECT run_date INTO first_day FROM batches WHERE id = NEW.batch_id;
    IF first_day IS NULL THEN
        RETURN NEW;  -- the foreign key says what is wrong
    END IF;
    IF NEW.checkpoint_date > first_day + 13 THEN
        RAISE EXCEPTION 'checkpoint % is after the fortnight of the batch of %',
            NEW.checkpoint_date, first_day USING ERRCODE = 'AM003';
    END IF;
    IF NEW.checkpoint_date < first_day THEN
        IF TG_OP = 'UPDATE' THEN
            IF (NEW.*) IS DISTINCT FROM (OLD.*) THEN
                RAISE EXCEPTION 'the baseline of the batch of % never changes', first_day
                    USING ERRCODE = 'AM003';
            END IF;
        ELSIF EXISTS (
            SELECT 1 FROM checkpoints
            WHERE batch_id = NEW.batch_id AND checkpoint_date < first_day
        ) THEN
            RAISE EXCEPTION 'the batch of % has its baseline already', first_day
                USING ERRCODE = 'AM003';
        END IF;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER checkpoints_within_fortnight
    BEFORE INSERT OR UPDATE ON checkpoints
    FOR EACH ROW EXECUTE FUNCTION refuse_checkpoint_outside_fortnight();

CREATE FUNCTION refuse_metric_on_baseline() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM checkpoints c JOIN batches b ON b.id = c.batch_id
        WHERE c.id = NEW.checkpoint_id AND c.checkpoint_date < b.run_date
    ) THEN
        RAISE EXCEPTION 'the baseline checkpoint % has no returns', NEW.checkpoint_id
            USING ERRCODE = 'AM003';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER pick_checkpoint_metrics_not_on_baseline
    BEFORE INSERT OR UPDATE ON pick_checkpoint_metrics
    FOR EACH ROW EXECUTE FUNCTION refuse_metric_on_baseline();

CREATE TRIGGER events_no_truncate
    BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_event_change();
