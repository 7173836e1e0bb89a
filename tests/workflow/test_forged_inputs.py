"""Forged or stale task inputs, sent straight to the functions (as a direct Lambda invoke
or `sam local invoke` would), are refused with a named error and change nothing."""

from __future__ import annotations

import threading
from typing import Any
from uuid import UUID

import psycopg
import pytest

from alpha_monday.db.batches import set_batch_status
from alpha_monday.domain.errors import (
    BatchNotResumable,
    CheckpointNotInSchedule,
    CloseMissingRefused,
    InvalidRunInput,
)
from alpha_monday.integrations.offline import ScriptedPicker
from alpha_monday.run_config import load_market_settings
from alpha_monday.workflow.dependencies import DependencyFactory
from alpha_monday.workflow.plan_run import resume_batch
from tests.workflow.conftest import new_batch

TABLES = (
    "batches",
    "entries",
    "picks",
    "checkpoints",
    "pick_checkpoint_metrics",
    "pick_checkpoint_skips",
    "batch_corporate_actions",
    "events",
)


def _snapshot(conn: psycopg.Connection) -> dict[str, list[str]]:
    """Every row of every table the workflow writes, as text, in a stable order."""
    return {
        table: sorted(row[0] for row in conn.execute(f"SELECT t::text FROM {table} t").fetchall())
        for table in TABLES
    }


def _checkpoint(batch_id: str, index: int, day: str, **extra: Any) -> dict[str, Any]:
    return {"batch_id": batch_id, "checkpoint_index": index, "checkpoint_date": day, **extra}


MISSING = {"close_missing": {"Error": "MarketDataNotReady", "Cause": "no close yet"}}


@pytest.mark.parametrize(
    ("index", "day", "names"),
    [
        (3, "2026-06-04", "checkpoint 3 of the batch of 2026-06-01 is on 2026-06-03"),
        (1, "2026-05-29", "is on 2026-06-01, not 2026-05-29"),  # the baseline's date
        (99, "2026-06-01", "checkpoint_index must be 1..14, got 99"),
        (14, "2026-06-15", "is on 2026-06-14, not 2026-06-15"),  # after the fortnight
    ],
)
def test_a_checkpoint_outside_the_schedule_is_refused_and_writes_nothing(
    invoke: Any, conn: psycopg.Connection, index: int, day: str, names: str
) -> None:
    # Given a batch for June 1st
    batch_id = new_batch(invoke)["batch_id"]
    before = _snapshot(conn)
    # When a checkpoint names a day that is not its index's day of the fortnight
    with pytest.raises(CheckpointNotInSchedule, match=names):
        invoke("CheckpointFunction", _checkpoint(batch_id, index, day))
    # Then nothing was written: the baseline keeps its NULL return and has no metrics
    assert _snapshot(conn) == before
    baseline = conn.execute(
        "SELECT benchmark_return_pct FROM checkpoints WHERE checkpoint_date = '2026-05-29'"
    ).fetchone()
    assert baseline == (None,)


@pytest.mark.parametrize(
    ("index", "day", "names"),
    [
        (2, "2026-06-02", "2026-06-02 is computed already"),
        (6, "2026-06-06", "2026-06-06 has no session"),  # a Saturday
    ],
)
def test_a_missing_close_for_a_computed_day_or_no_session_is_refused(
    invoke: Any, conn: psycopg.Connection, index: int, day: str, names: str
) -> None:
    # Given a batch whose Tuesday is computed
    batch_id = new_batch(invoke)["batch_id"]
    invoke("CheckpointFunction", _checkpoint(batch_id, 2, "2026-06-02"))
    before = _snapshot(conn)
    # When a stale "close never came" arrives for it, or for a Saturday
    with pytest.raises(CloseMissingRefused, match=names):
        invoke("CheckpointFunction", _checkpoint(batch_id, index, day, **MISSING))
    # Then no event was appended and no row changed
    assert _snapshot(conn) == before


def test_the_database_refuses_rows_outside_the_fortnight_and_a_changed_baseline(
    invoke: Any, conn: psycopg.Connection
) -> None:
    # Given a batch (the application's checks bypassed: SQL straight to the database)
    batch_id = new_batch(invoke)["batch_id"]
    before = _snapshot(conn)
    # Then a checkpoint after the fortnight, a second baseline, a rewritten baseline and a
    # metric on the baseline are all refused
    statements = [
        "INSERT INTO checkpoints (id, batch_id, checkpoint_date, status, skip_reason)"
        " VALUES (gen_random_uuid(), %(b)s, '2026-06-15', 'skipped', 'weekend')",
        "INSERT INTO checkpoints (id, batch_id, checkpoint_date, status, benchmark_price)"
        " VALUES (gen_random_uuid(), %(b)s, '2026-05-28', 'computed', 500)",
        "UPDATE checkpoints SET benchmark_return_pct = 0"
        " WHERE batch_id = %(b)s AND checkpoint_date = '2026-05-29'",
        "INSERT INTO pick_checkpoint_metrics (id, checkpoint_id, pick_id, current_price,"
        " absolute_return_pct, vs_benchmark_pct)"
        " SELECT gen_random_uuid(), c.id, p.id, 1, 0, 0 FROM checkpoints c"
        " JOIN picks p ON p.batch_id = c.batch_id WHERE c.batch_id = %(b)s LIMIT 1",
    ]
    for statement in statements:
        with pytest.raises(psycopg.Error) as refused:
            conn.execute(statement, {"b": batch_id})
        assert refused.value.sqlstate == "AM003", statement
    assert _snapshot(conn) == before


@pytest.mark.parametrize("status", ["active", "completed"])
def test_only_a_failed_batch_can_be_resumed(
    invoke: Any, conn: psycopg.Connection, status: str
) -> None:
    # Given a batch that is active (tracked by its execution) or completed
    batch_id = new_batch(invoke)["batch_id"]
    if status == "completed":
        set_batch_status(conn, UUID(batch_id), "completed", from_status="active")
    before = _snapshot(conn)
    # When a resume is asked for it
    with pytest.raises(BatchNotResumable, match=f"is {status}; only a failed batch"):
        invoke("PlanRunFunction", _resume(batch_id, "resume-1"))
    # Then nothing changed
    assert _snapshot(conn) == before


def _resume(batch_id: str, execution: str) -> dict[str, Any]:
    return {
        "execution_input": {"resume_batch_id": batch_id},
        "execution_started_at": "2026-06-20T12:00:00Z",
        "context": {"workflow_run_id": execution, "step_name": "PlanRun", "retry_count": 0},
    }


def _failure(execution: str, batch_id: str) -> dict[str, Any]:
    return {
        "state": {
            "error": {"Error": "ExecutionFailed", "Cause": "a late notice"},
            "batch_id": batch_id,
        },
        "context": {"workflow_run_id": execution, "step_name": "MarkBatchFailed", "retry_count": 0},
    }


def test_of_two_concurrent_resumes_one_wins_and_the_loser_fails_nothing(
    invoke: Any, conn: psycopg.Connection, database_url: str
) -> None:
    # Given a failed batch
    batch_id = new_batch(invoke)["batch_id"]
    set_batch_status(conn, UUID(batch_id), "failed", from_status="active")
    # When two executions resume it at the same moment, each on its own connection
    outcomes: dict[str, Any] = {}
    start = threading.Barrier(2)

    def resume(execution: str) -> None:
        with psycopg.connect(database_url, autocommit=True) as own:
            deps = DependencyFactory(
                connection=lambda: own,
                market_settings=lambda: load_market_settings({}),
                picker=ScriptedPicker(),
            ).for_step(frozenset({"market", "picker"}))
            start.wait()
            try:
                outcomes[execution] = resume_batch(UUID(batch_id), execution, deps)
            except BatchNotResumable as error:
                outcomes[execution] = error

    threads = [threading.Thread(target=resume, args=(f"resume-{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Then exactly one resumed it
    (loser,) = [name for name, outcome in outcomes.items() if isinstance(outcome, Exception)]
    (winner,) = [name for name in outcomes if name != loser]
    resumed = conn.execute(
        "SELECT payload ->> 'execution_name' FROM events WHERE event_type = 'batch_resumed'"
    ).fetchall()
    assert resumed == [(winner,)]
    # And the loser's failure, reported late by the sweeper or MarkBatchFailed, fails nothing
    before = _snapshot(conn)
    output = invoke("MarkBatchFailedFunction", _failure(loser, batch_id))
    assert output["outcome"] == "batch_tracked_by_another_execution"
    assert _snapshot(conn) == before
    status = conn.execute("SELECT status FROM batches").fetchone()
    assert status == ("active",)


def test_a_forged_outcome_of_a_contender_that_did_not_answer_must_name_its_error(
    invoke: Any, conn: psycopg.Connection
) -> None:
    # Given GeneratePicks' input saying a contender failed, without the Catch's error
    event = {
        "run_date": "2026-06-01",
        "baseline_date": "2026-05-29",
        "answers": [{"contender": "gpt-4o-mini", "answered": False}],
        "context": {"workflow_run_id": "forged", "step_name": "GeneratePicks", "retry_count": 0},
    }
    # Then it is refused by name, and nothing is written
    before = _snapshot(conn)
    with pytest.raises(InvalidRunInput, match="no error is named"):
        invoke("GeneratePicksFunction", event)
    assert _snapshot(conn) == before
