-- depends: 0018_entries
-- Pick stability (PICK_STABILITY_ASKS, off by default): each model asked again on Monday,
-- its extra answers kept in `events`, never tracked; the entry publishes how many were
-- asked, how many answered, and their mean overlap with the committed picks (tickers, and
-- tickers with their action), as shares at 6 places (docs/arena.md).
ALTER TABLE entries
    ADD COLUMN stability_asks smallint NULL CHECK (stability_asks > 0),
    ADD COLUMN stability_answered smallint NULL,
    ADD COLUMN stability_ticker_overlap numeric NULL
        CHECK (stability_ticker_overlap BETWEEN 0 AND 1),
    ADD COLUMN stability_call_overlap numeric NULL
        CHECK (stability_call_overlap BETWEEN 0 AND 1),
    ADD CONSTRAINT entries_stability_is_whole CHECK (
        (stability_asks IS NULL) = (stability_answered IS NULL)
        AND stability_answered BETWEEN 0 AND stability_asks
        AND (stability_answered > 0) = (stability_ticker_overlap IS NOT NULL)
        AND (stability_ticker_overlap IS NULL) = (stability_call_overlap IS NULL)
        AND (stability_asks IS NOT NULL OR stability_ticker_overlap IS NULL)
    );
