DROP FUNCTION keep_answer(text, text, bigint, text, text, text);
DROP TABLE stored_answers;
-- CASCADE: the triggers on the published tables that call it go with it.
DROP FUNCTION published_data_changed() CASCADE;
DROP TABLE published_generation;
