"""The database refuses bad rows by itself, and a refused write leaves nothing behind."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import timedelta
from decimal import Decimal

import psycopg
import pytest
from psycopg import errors as pg_errors

from alpha_monday.db.batches import get_batch_detail, set_batch_status
from alpha_monday.db.checkpoints import record_checkpoint
from alpha_monday.db.events import append_event
from alpha_monday.db.new_batch import create_batch
from alpha_monday.db.translate import BATCH_NOT_ACTIVE_SQLSTATE
from alpha_monday.domain.errors import BatchAlreadyExists
from tests.builders import FIRST_MONDAY, computed_checkpoint, new_batch


def _count(conn: psycopg.Connection, table: str) -> int:
    row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.parametrize(
    ("statement", "params", "error"),
    [
        (
            "INSERT INTO batches (id, run_date, benchmark_initial_price, status, origin)"
            " VALUES (%s, '2026-01-05', 400, 'paused', 'live')",
            (uuid.uuid4(),),
            pg_errors.CheckViolation,
        ),
        (
            "INSERT INTO batches (id, run_date, benchmark_initial_price, status, origin)"
            " VALUES (%s, '2026-01-06', 400, 'active', 'live')",
            (uuid.uuid4(),),
            pg_errors.CheckViolation,  # run_date must be a Monday
        ),
        (
            "INSERT INTO picks (id, batch_id, entry_id, ticker, action, reasoning, initial_price)"
            " VALUES (%s, %s, %s, 'AAPL', 'BUY', 'why', 1)",
            (uuid.uuid4(), uuid.uuid4(), uuid.uuid4()),
            pg_errors.ForeignKeyViolation,
        ),
        (
            "INSERT INTO entries (id, batch_id, position, contender, kind)"
            " VALUES (%s, %s, 0, 'gpt', 'model')",
            (uuid.uuid4(), uuid.uuid4()),
            pg_errors.ForeignKeyViolation,
        ),
        (
            "INSERT INTO checkpoints (id, batch_id, checkpoint_date, status)"
            " VALUES (%s, %s, '2026-01-05', 'skipped')",
            (uuid.uuid4(), uuid.uuid4()),
            pg_errors.CheckViolation,  # a skipped checkpoint must say why
        ),
        (
            "INSERT INTO pick_checkpoint_metrics (id, checkpoint_id, pick_id, current_price,"
            " absolute_return_pct, vs_benchmark_pct) VALUES (%s, %s, %s, 1, 0.000000, 0.000000)",
            (uuid.uuid4(), uuid.uuid4(), uuid.uuid4()),
            pg_errors.ForeignKeyViolation,
        ),
        (
            "INSERT INTO events (id, batch_id, event_type, payload) VALUES (%s, %s, 'x', '{}')",
            (uuid.uuid4(), uuid.uuid4()),
            pg_errors.ForeignKeyViolation,
        ),
    ],
    ids=[
        "bad-status",
        "not-a-monday",
        "pick-without-batch",
        "entry-without-batch",
        "skip-without-reason",
        "metric-without-checkpoint",
        "event-without-batch",
    ],
)
def test_bad_rows_are_refused_and_nothing_is_written(
    conn: psycopg.Connection, statement: str, params: tuple[object, ...], error: type[Exception]
) -> None:
    # Given an empty database
    # When a row breaking a rule is inserted
    with pytest.raises(error):
        conn.execute(statement, params)
    # Then nothing was written anywhere
    for table in ("batches", "picks", "checkpoints", "pick_checkpoint_metrics", "events"):
        assert _count(conn, table) == 0


def test_a_bad_pick_action_is_refused(conn: psycopg.Connection) -> None:
    # Given a batch
    detail = create_batch(conn, new_batch())
    # When a pick with an action other than BUY/SELL is inserted
    with pytest.raises(pg_errors.CheckViolation):
        conn.execute(
            "INSERT INTO picks (id, batch_id, entry_id, ticker, action, reasoning, initial_price)"
            " VALUES (%s, %s, %s, 'TSLA', 'HOLD', 'why', 1)",
            (uuid.uuid4(), detail.batch.id, detail.entries[0].id),
        )
    # Then the batch keeps its three picks
    assert _count(conn, "picks") == 3


def test_second_batch_for_the_same_run_date_is_refused_and_first_is_untouched(
    conn: psycopg.Connection,
) -> None:
    # Given a batch for a Monday
    first = create_batch(conn, new_batch())
    # When another batch for the same Monday is created
    with pytest.raises(BatchAlreadyExists, match="2026-01-05"):
        create_batch(conn, new_batch(picks=(("TSLA", "BUY", "1"),)))
    # Then the first batch, its picks and its baseline are unchanged, and nothing else exists
    assert get_batch_detail(conn, first.batch.id) == first
    assert _count(conn, "batches") == 1
    assert _count(conn, "picks") == 3
    assert _count(conn, "checkpoints") == 1


def test_duplicate_ticker_in_a_batch_rolls_back_the_whole_batch(conn: psycopg.Connection) -> None:
    # When a batch is created with the same ticker twice
    with pytest.raises(pg_errors.UniqueViolation):
        create_batch(conn, new_batch(picks=(("AAPL", "BUY", "1"), ("AAPL", "SELL", "2"))))
    # Then the transaction left no batch, pick or checkpoint behind
    for table in ("batches", "entries", "picks", "checkpoints"):
        assert _count(conn, table) == 0


def test_failure_half_way_through_a_checkpoint_leaves_no_rows(conn: psycopg.Connection) -> None:
    # Given a batch
    detail = create_batch(conn, new_batch())
    record = computed_checkpoint(detail, FIRST_MONDAY)
    broken_metric = dataclasses.replace(record.scores[2], pick_id=uuid.uuid4())
    broken = dataclasses.replace(record, scores=(*record.scores[:2], broken_metric))
    # When its third metric row fails (unknown pick) after the checkpoint and two metrics
    with pytest.raises(pg_errors.ForeignKeyViolation):
        record_checkpoint(conn, detail.batch.id, broken)
    # Then neither the checkpoint nor the first two metric rows were kept
    assert _count(conn, "checkpoints") == 1  # only the baseline
    assert _count(conn, "pick_checkpoint_metrics") == 0


@pytest.mark.parametrize("status", ["completed", "failed"])
def test_checkpoint_on_a_finished_batch_is_refused_by_the_database(
    conn: psycopg.Connection, status: str
) -> None:
    # Given a batch that is no longer active
    detail = create_batch(conn, new_batch())
    assert set_batch_status(conn, detail.batch.id, status, from_status="active")  # type: ignore[arg-type]
    # When a checkpoint is written for it, through the repository or by raw SQL
    # (the step's handler translates the SQLSTATE into BatchNotActive)
    with pytest.raises(psycopg.Error, match=f"is {status}") as refused:
        record_checkpoint(conn, detail.batch.id, computed_checkpoint(detail, FIRST_MONDAY))
    assert refused.value.sqlstate == BATCH_NOT_ACTIVE_SQLSTATE
    with pytest.raises(psycopg.Error, match="only be written for an active batch"):
        conn.execute(
            "INSERT INTO checkpoints (id, batch_id, checkpoint_date, status, skip_reason)"
            " VALUES (%s, %s, %s, 'skipped', 'weekend')",
            (uuid.uuid4(), detail.batch.id, FIRST_MONDAY + timedelta(days=5)),
        )
    # Then only the baseline exists
    assert _count(conn, "checkpoints") == 1
    assert _count(conn, "pick_checkpoint_metrics") == 0


def test_metric_rows_of_a_finished_batch_cannot_be_rewritten(conn: psycopg.Connection) -> None:
    # Given a completed batch with a computed checkpoint
    detail = create_batch(conn, new_batch())
    record_checkpoint(conn, detail.batch.id, computed_checkpoint(detail, FIRST_MONDAY))
    set_batch_status(conn, detail.batch.id, "completed", from_status="active")
    # When one of its metric rows is updated
    with pytest.raises(psycopg.Error, match="only be written for an active batch"):
        conn.execute("UPDATE pick_checkpoint_metrics SET current_price = 1")
    # Then the metrics keep their values
    row = conn.execute("SELECT min(current_price) FROM pick_checkpoint_metrics").fetchone()
    assert row is not None
    assert row[0] > Decimal(1)


def test_events_are_append_only(conn: psycopg.Connection) -> None:
    # Given an event
    append_event(conn, None, "note", {"hello": "world"})
    # When it is updated or deleted, then the database refuses
    with pytest.raises(psycopg.Error, match="append-only"):
        conn.execute("UPDATE events SET event_type = 'changed'")
    with pytest.raises(psycopg.Error, match="append-only"):
        conn.execute("DELETE FROM events")
    # And TRUNCATE, alone or cascading from the batches, is refused too
    with pytest.raises(psycopg.Error, match="append-only: TRUNCATE refused"):
        conn.execute("TRUNCATE events")
    with pytest.raises(psycopg.Error, match="append-only: TRUNCATE refused"):
        conn.execute("TRUNCATE batches CASCADE")
    assert _count(conn, "events") == 1


def test_set_batch_status_only_moves_from_the_expected_status(conn: psycopg.Connection) -> None:
    # Given a failed batch
    detail = create_batch(conn, new_batch())
    assert set_batch_status(conn, detail.batch.id, "failed", from_status="active")
    # When it is completed as if it were active, then nothing changes
    assert not set_batch_status(conn, detail.batch.id, "completed", from_status="active")
    assert get_batch_detail(conn, detail.batch.id).batch.status == "failed"
