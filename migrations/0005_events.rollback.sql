DROP TABLE events;
DROP FUNCTION refuse_event_change();
