ALTER TABLE entries
    DROP CONSTRAINT entries_stability_is_whole,
    DROP COLUMN stability_call_overlap,
    DROP COLUMN stability_ticker_overlap,
    DROP COLUMN stability_answered,
    DROP COLUMN stability_asks;
