-- depends: 0019_pick_stability
-- The answer store (docs/scale.md): a read function keeps each answer it rendered, so the
-- next cold container serves it with one query instead of rendering it again.
--
-- An answer is kept for the generation of the published data it was rendered from, and is
-- served only while that generation is the current one. Every statement that writes a
-- published table (whoever runs it: a step, a migration, an operator's fix) moves the
-- generation on in its own transaction, so no answer outlives a change of what it shows.
CREATE TABLE published_generation (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    generation bigint NOT NULL
);
INSERT INTO published_generation (generation) VALUES (1);

CREATE FUNCTION published_data_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE published_generation SET generation = generation + 1;
    RETURN NULL;
END
$$;

-- Every table the read role can select (the published ones); a test keeps the two lists
-- the same.
DO $$
DECLARE
    published text;
BEGIN
    FOREACH published IN ARRAY ARRAY['batches', 'entries', 'picks', 'checkpoints',
        'pick_checkpoint_metrics', 'pick_checkpoint_skips', 'batch_corporate_actions']
    LOOP
        EXECUTE format(
            'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I'
            ' FOR EACH STATEMENT EXECUTE FUNCTION published_data_changed()',
            published || '_change_the_published_generation', published);
    END LOOP;
END
$$;

-- One answer per path and release (the code and the settings that shaped it).
CREATE TABLE stored_answers (
    path text NOT NULL CHECK (path ~ '^/[A-Za-z0-9._~/-]*$'),
    release text NOT NULL CHECK (length(release) BETWEEN 1 AND 200),
    generation bigint NOT NULL,
    content_type text NOT NULL,
    cache_control text NOT NULL,
    body text NOT NULL,
    stored_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (path, release)
);

-- The read role keeps answers through this function only: an answer of the current
-- generation (one rendered before a write committed is dropped), replacing an older one;
-- answers of past generations are deleted on the way, so the table holds about one
-- answer per path and release.
CREATE FUNCTION keep_answer(
    answer_path text, answer_release text, answer_generation bigint,
    answer_content_type text, answer_cache_control text, answer_body text
) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    current_generation bigint;
BEGIN
    SELECT generation INTO current_generation FROM published_generation;
    IF answer_generation <> current_generation THEN
        RETURN false;
    END IF;
    DELETE FROM stored_answers WHERE generation < current_generation;
    INSERT INTO stored_answers
        (path, release, generation, content_type, cache_control, body)
    VALUES (answer_path, answer_release, answer_generation, answer_content_type,
            answer_cache_control, answer_body)
    ON CONFLICT (path, release) DO UPDATE SET
        generation = excluded.generation, content_type = excluded.content_type,
        cache_control = excluded.cache_control, body = excluded.body, stored_at = now();
    RETURN true;
END
$$;
REVOKE ALL ON FUNCTION keep_answer(text, text, bigint, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION keep_answer(text, text, bigint, text, text, text)
    TO alpha_monday_reader;
GRANT SELECT ON published_generation, stored_answers TO alpha_monday_reader;
