-- depends: 0015_corporate_actions
-- Total returns for the rows already stored: a day whose window (after the baseline, on or
-- before the day) holds a dividend the batch counts, for a pick or for the benchmark, is
-- recomputed from its published closes and the counted actions (docs/scoring.md); every
-- other row keeps its published values (splits were applied already). Each changed day
-- leaves a `checkpoint_rescored` event with the old and the new values, and the migration
-- says how many rows it changed.

CREATE FUNCTION pg_temp.half_even(value numeric) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    scaled numeric := value * 1000000;
    low numeric := floor(scaled);
    rest numeric := scaled - low;
BEGIN
    IF rest > 0.5 OR (rest = 0.5 AND abs(low % 2) = 1) THEN
        low := low + 1;
    END IF;
    RETURN round(low / 1000000, 6);
END;
$$;

-- Shares one share at `after` had become by `through`, for `symbol` in `batch`.
CREATE FUNCTION pg_temp.split_factor(batch uuid, sym text, after date, through date)
RETURNS numeric LANGUAGE plpgsql STABLE AS $$
DECLARE
    factor numeric := 1;
    split numeric;
BEGIN
    FOR split IN
        SELECT value FROM batch_corporate_actions
        WHERE batch_id = batch AND symbol = sym AND kind = 'split'
          AND action_date > after AND action_date <= through
    LOOP
        factor := factor * split;
    END LOOP;
    RETURN factor;
END;
$$;

-- The total return in percent, unrounded, at 30 decimal places.
CREATE FUNCTION pg_temp.total_return(
    batch uuid, sym text, initial numeric, close numeric, baseline date, day date
) RETURNS numeric LANGUAGE plpgsql STABLE AS $$
DECLARE
    adjusted numeric := round(initial, 30) / pg_temp.split_factor(batch, sym, baseline, day);
    paid numeric := 0;
    dividend record;
BEGIN
    FOR dividend IN
        SELECT action_date, value FROM batch_corporate_actions
        WHERE batch_id = batch AND symbol = sym AND kind = 'dividend'
          AND action_date > baseline AND action_date <= day
    LOOP
        paid := paid + round(dividend.value, 30)
            / pg_temp.split_factor(batch, sym, dividend.action_date, day);
    END LOOP;
    RETURN round((close + paid - adjusted), 30) / adjusted * 100;
END;
$$;

DO $$
DECLARE
    day record;
    metric record;
    r_benchmark numeric;
    r_pick numeric;
    direction int;
    new_absolute numeric;
    new_versus numeric;
    old_values jsonb;
    new_values jsonb;
    changed_rows int := 0;
BEGIN
    -- Completed batches are rescored too: this is the one sanctioned change of their rows,
    -- each with its event.
    ALTER TABLE checkpoints DISABLE TRIGGER checkpoints_require_active_batch;
    ALTER TABLE pick_checkpoint_metrics DISABLE TRIGGER USER;
    FOR day IN
        SELECT c.id, c.batch_id, c.checkpoint_date, c.benchmark_price, c.benchmark_return_pct,
            b.benchmark_symbol, b.benchmark_initial_price,
            (SELECT min(checkpoint_date) FROM checkpoints WHERE batch_id = b.id) AS baseline
        FROM checkpoints c JOIN batches b ON b.id = c.batch_id
        WHERE c.status = 'computed' AND c.checkpoint_date >= b.run_date
          AND EXISTS (
              SELECT 1 FROM batch_corporate_actions a
              WHERE a.batch_id = b.id AND a.kind = 'dividend'
                AND a.action_date <= c.checkpoint_date
                AND a.action_date > (SELECT min(checkpoint_date) FROM checkpoints
                                     WHERE batch_id = b.id)
          )
        ORDER BY c.checkpoint_date
    LOOP
        r_benchmark := pg_temp.total_return(day.batch_id, day.benchmark_symbol,
            day.benchmark_initial_price, day.benchmark_price, day.baseline, day.checkpoint_date);
        old_values := jsonb_build_object('benchmark_return_pct', day.benchmark_return_pct::text,
            'picks', '{}'::jsonb);
        new_values := jsonb_build_object(
            'benchmark_return_pct', pg_temp.half_even(r_benchmark)::text, 'picks', '{}'::jsonb);
        FOR metric IN
            SELECT m.id, m.current_price, m.absolute_return_pct, m.vs_benchmark_pct,
                p.ticker, p.action, p.initial_price
            FROM pick_checkpoint_metrics m JOIN picks p ON p.id = m.pick_id
            WHERE m.checkpoint_id = day.id
        LOOP
            r_pick := pg_temp.total_return(day.batch_id, metric.ticker, metric.initial_price,
                metric.current_price, day.baseline, day.checkpoint_date);
            direction := CASE WHEN metric.action = 'BUY' THEN 1 ELSE -1 END;
            new_absolute := pg_temp.half_even(direction * r_pick);
            new_versus := pg_temp.half_even(direction * (r_pick - r_benchmark));
            old_values := jsonb_set(old_values, ARRAY['picks', metric.ticker], jsonb_build_array(
                metric.absolute_return_pct::text, metric.vs_benchmark_pct::text));
            new_values := jsonb_set(new_values, ARRAY['picks', metric.ticker], jsonb_build_array(
                new_absolute::text, new_versus::text));
            IF new_absolute <> metric.absolute_return_pct
                OR new_versus <> metric.vs_benchmark_pct THEN
                UPDATE pick_checkpoint_metrics
                SET absolute_return_pct = new_absolute, vs_benchmark_pct = new_versus
                WHERE id = metric.id;
                changed_rows := changed_rows + 1;
            END IF;
        END LOOP;
        IF pg_temp.half_even(r_benchmark) <> day.benchmark_return_pct THEN
            changed_rows := changed_rows + 1;
        END IF;
        IF old_values <> new_values THEN
            UPDATE checkpoints
            SET benchmark_return_pct = pg_temp.half_even(r_benchmark),
                rescored_because = 'migration 0016: total returns count the dividends'
            WHERE id = day.id;
            INSERT INTO events (id, batch_id, event_type, payload)
            VALUES (md5(day.id::text || 'migration 0016')::uuid, day.batch_id,
                'checkpoint_rescored', jsonb_build_object(
                    'checkpoint_date', day.checkpoint_date, 'migration', '0016_total_returns',
                    'because', 'total returns count the dividends',
                    'old', old_values, 'new', new_values));
        END IF;
    END LOOP;
    ALTER TABLE checkpoints ENABLE TRIGGER checkpoints_require_active_batch;
    ALTER TABLE pick_checkpoint_metrics ENABLE TRIGGER USER;
    RAISE NOTICE 'migration 0016_total_returns: % stored row(s) rescored with total returns',
        changed_rows;
END;
$$;
