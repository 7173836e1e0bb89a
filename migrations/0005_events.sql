-- depends: 0004_pick_checkpoint_metrics
-- Append-only audit trail: model provenance, skipped-checkpoint reasons, failures.
CREATE TABLE events (
    id uuid PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    batch_id uuid NULL REFERENCES batches (id),
    event_type text NOT NULL,
    payload jsonb NOT NULL
);
CREATE INDEX ix_events_batch_id ON events (batch_id);
CREATE INDEX ix_events_event_type ON events (event_type);

CREATE FUNCTION refuse_event_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only: % refused', TG_OP USING ERRCODE = 'AM002';
END;
$$;

CREATE TRIGGER events_append_only
    BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION refuse_event_change();
