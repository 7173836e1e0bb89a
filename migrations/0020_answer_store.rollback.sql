DROP FUNCTION keep_answer(text, text, bigint, text, text, text);
DROP TABLE stored_answers;
DO $$
DECLARE
    published text;
BEGIN
    FOREACH published IN ARRAY ARRAY['batches', 'entries', 'picks', 'checkpoints',
        'pick_checkpoint_metrics', 'pick_checkpoint_skips', 'batch_corporate_actions']
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %I',
            published || '_change_the_published_generation', published);
    END LOOP;
END
$$;
DROP FUNCTION published_data_changed();
DROP TABLE published_generation;
