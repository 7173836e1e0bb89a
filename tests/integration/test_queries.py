"""The repository reads the API and the workflow rely on, on seeded data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import psycopg
import pytest

from alpha_monday.db.batches import get_batch_detail, get_latest_batch_detail, list_batches
from alpha_monday.db.checkpoints import record_checkpoint
from alpha_monday.db.events import append_event, list_events
from alpha_monday.db.prices import cached_closes, store_closes
from alpha_monday.domain.errors import BatchNotFound
from alpha_monday_local.query_counter import CountingCursor, statements_during
from tests.builders import FIRST_MONDAY, computed_checkpoint, seed_batches, skipped_checkpoint


def test_latest_is_none_on_an_empty_database(conn: psycopg.Connection) -> None:
    assert get_latest_batch_detail(conn) is None


def test_latest_is_the_batch_with_the_greatest_run_date(conn: psycopg.Connection) -> None:
    # Given three batches
    seeded = seed_batches(conn, 3)
    # When the latest is read
    latest = get_latest_batch_detail(conn)
    # Then it is the newest Monday's, with its picks and checkpoints
    assert latest is not None
    assert latest.batch.id == seeded[-1].batch.id
    assert len(latest.picks) == 3
    assert len(latest.checkpoints) == 3  # baseline + 2


def test_detail_orders_checkpoints_by_date_and_carries_metrics(conn: psycopg.Connection) -> None:
    # Given a batch whose checkpoints were recorded out of order
    (detail,) = seed_batches(conn, 1, checkpoints_each=0)
    run_date = detail.batch.run_date
    for offset in (3, 1, 2):
        record_checkpoint(
            conn, detail.batch.id, computed_checkpoint(detail, run_date + timedelta(days=offset))
        )
    record_checkpoint(conn, detail.batch.id, skipped_checkpoint(run_date + timedelta(days=5)))
    # When the detail is read
    read = get_batch_detail(conn, detail.batch.id)
    # Then checkpoints come in date order, the baseline first with no metrics
    dates = [c.checkpoint_date for c in read.checkpoints]
    assert dates == sorted(dates)
    assert read.checkpoints[0].benchmark_return_pct is None
    assert read.checkpoints[0].metrics == ()
    computed = read.checkpoints[1]
    assert [m.ticker for m in computed.metrics] == ["AAPL", "MSFT", "NVDA"]
    assert computed.metrics[0].current_price == Decimal("101.50000")
    assert read.checkpoints[-1].status == "skipped"
    assert read.checkpoints[-1].skip_reason == "weekend"


def test_unknown_batch_id_raises_not_found(conn: psycopg.Connection) -> None:
    import uuid

    with pytest.raises(BatchNotFound):
        get_batch_detail(conn, uuid.uuid4())


def test_paging_walks_every_batch_once_newest_first(conn: psycopg.Connection) -> None:
    # Given 7 batches
    seeded = seed_batches(conn, 7, checkpoints_each=1)
    # When they are read 3 at a time following the cursor
    seen = []
    before = None
    pages = 0
    while True:
        page = list_batches(conn, limit=3, before=before)
        pages += 1
        seen.extend(item.run_date for item in page.items)
        before = page.next_run_date_before
        if before is None:
            break
    # Then every batch came once, newest first, in 3 pages, and no empty last page
    assert seen == sorted((d.batch.run_date for d in seeded), reverse=True)
    assert pages == 3


def test_page_of_exact_size_has_no_next_cursor(conn: psycopg.Connection) -> None:
    seed_batches(conn, 2)
    assert list_batches(conn, limit=2).next_run_date_before is None


def test_summary_carries_picks_and_latest_computed_returns(conn: psycopg.Connection) -> None:
    # Given a batch with two computed days and a later skipped one
    (detail,) = seed_batches(conn, 1, checkpoints_each=2)
    record_checkpoint(conn, detail.batch.id, skipped_checkpoint(FIRST_MONDAY + timedelta(days=5)))
    # When the list is read
    (summary,) = list_batches(conn, limit=10).items
    # Then the latest computed (not skipped, not baseline) checkpoint is summarised
    assert [p.ticker for p in summary.picks] == ["AAPL", "MSFT", "NVDA"]
    assert summary.latest_checkpoint is not None
    assert summary.latest_checkpoint.checkpoint_date == FIRST_MONDAY + timedelta(days=1)
    assert len(summary.latest_checkpoint.metrics) == 3


def test_summary_of_a_new_batch_has_no_latest_checkpoint(conn: psycopg.Connection) -> None:
    seed_batches(conn, 1, checkpoints_each=0)
    (summary,) = list_batches(conn, limit=10).items
    assert summary.latest_checkpoint is None


def test_recording_the_same_checkpoint_twice_changes_nothing(conn: psycopg.Connection) -> None:
    # Given a computed checkpoint
    (detail,) = seed_batches(conn, 1, checkpoints_each=0)
    record = computed_checkpoint(detail, FIRST_MONDAY)
    first_id = record_checkpoint(conn, detail.batch.id, record)
    before = get_batch_detail(conn, detail.batch.id)
    # When the same checkpoint is recorded again
    second_id = record_checkpoint(conn, detail.batch.id, record)
    # Then the rows, their ids and their values are unchanged
    assert second_id == first_id
    assert get_batch_detail(conn, detail.batch.id) == before


def test_a_computed_checkpoint_is_not_downgraded_to_skipped(conn: psycopg.Connection) -> None:
    (detail,) = seed_batches(conn, 1, checkpoints_each=1)
    skipped = skipped_checkpoint(FIRST_MONDAY, "close not published")
    assert record_checkpoint(conn, detail.batch.id, skipped) is None
    kept = get_batch_detail(conn, detail.batch.id).checkpoints[1]
    assert kept.status == "computed"
    assert len(kept.metrics) == 3


def test_detail_and_page_use_at_most_two_queries(database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True, cursor_factory=CountingCursor) as conn:
        # Given seeded batches with checkpoints
        seeded = seed_batches(conn, 4)
        # When a detail, the latest and a page are read
        detail = statements_during(lambda: get_batch_detail(conn, seeded[0].batch.id))
        latest = statements_during(lambda: get_latest_batch_detail(conn))
        page = statements_during(lambda: list_batches(conn, limit=10))
    # Then none is N+1
    assert (detail, latest, page) == (2, 2, 1)


def test_events_round_trip_with_their_payload(conn: psycopg.Connection) -> None:
    (detail,) = seed_batches(conn, 1, checkpoints_each=0)
    append_event(conn, detail.batch.id, "picks_generated", {"model": "m", "attempts": [1, 2]})
    (event,) = list_events(conn, detail.batch.id)
    assert event.event_type == "picks_generated"
    assert event.payload == {"model": "m", "attempts": [1, 2]}


def test_cached_closes_round_trip_exactly(conn: psycopg.Connection) -> None:
    # Given closes stored for a symbol
    day = FIRST_MONDAY
    after_the_fortnight = datetime(2026, 2, 1, tzinfo=UTC)
    later = {day: Decimal("187.4400"), day + timedelta(days=1): Decimal("1")}
    store_closes(conn, "alpha_vantage", "AAPL", later, after_the_fortnight)
    # a correction overwrites
    store_closes(conn, "alpha_vantage", "AAPL", {day: Decimal("187.4500")}, after_the_fortnight)
    # When they are read for a date
    closes = cached_closes(conn, "alpha_vantage", ["AAPL", "MSFT"], day, timedelta(minutes=30))
    # Then the exact decimal comes back, and an unknown symbol is absent
    assert closes == {"AAPL": Decimal("187.4500")}
