-- The values published before total returns come back from the events that kept them; the
-- events stay (the audit trail is append-only) and one more says the rescoring was undone.
DO $$
DECLARE
    rescored record;
    pick record;
BEGIN
    ALTER TABLE checkpoints DISABLE TRIGGER checkpoints_require_active_batch;
    ALTER TABLE pick_checkpoint_metrics DISABLE TRIGGER USER;
    FOR rescored IN
        SELECT e.batch_id, e.payload FROM events e
        WHERE e.event_type = 'checkpoint_rescored'
          AND e.payload ->> 'migration' = '0016_total_returns'
    LOOP
        UPDATE checkpoints
        SET benchmark_return_pct = (rescored.payload #>> '{old,benchmark_return_pct}')::numeric,
            rescored_because = NULL
        WHERE batch_id = rescored.batch_id
          AND checkpoint_date = (rescored.payload ->> 'checkpoint_date')::date;
        FOR pick IN SELECT key, value FROM jsonb_each(rescored.payload #> '{old,picks}') LOOP
            UPDATE pick_checkpoint_metrics m
            SET absolute_return_pct = (pick.value ->> 0)::numeric,
                vs_benchmark_pct = (pick.value ->> 1)::numeric
            FROM checkpoints c, picks p
            WHERE m.checkpoint_id = c.id AND m.pick_id = p.id AND p.ticker = pick.key
              AND c.batch_id = rescored.batch_id
              AND c.checkpoint_date = (rescored.payload ->> 'checkpoint_date')::date;
        END LOOP;
        INSERT INTO events (id, batch_id, event_type, payload)
        VALUES (md5(rescored.payload::text || 'rollback 0016')::uuid, rescored.batch_id,
            'checkpoint_rescored', jsonb_build_object(
                'checkpoint_date', rescored.payload ->> 'checkpoint_date',
                'migration', '0016_total_returns (rolled back)',
                'because', 'the total-return rescoring was rolled back',
                'old', rescored.payload -> 'new', 'new', rescored.payload -> 'old'));
    END LOOP;
    ALTER TABLE checkpoints ENABLE TRIGGER checkpoints_require_active_batch;
    ALTER TABLE pick_checkpoint_metrics ENABLE TRIGGER USER;
END;
$$;
