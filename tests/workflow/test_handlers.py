"""The workflow Lambdas invoked directly with Step Functions task inputs (as sam local invoke)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
import pytest

from alpha_monday.db.batches import get_batch_detail, set_batch_status
from alpha_monday.db.events import list_events
from alpha_monday.domain.errors import (
    BatchIncomplete,
    BatchNotActive,
    InvalidRunDate,
    InvalidRunInput,
)
from alpha_monday.workflow.handler import parse_task
from alpha_monday.workflow.models import PlanRunTask
from alpha_monday.workflow.plan_run import resolve_run_date
from alpha_monday_local.template import functions, load_handler
from tests.workflow.conftest import CONTEXT, new_batch

JUNE_1 = date(2026, 6, 1)


def test_generate_picks_returns_the_batch_and_its_14_wake_up_instants(invoke: Any) -> None:
    output = new_batch(invoke)
    assert output["run_date"] == "2026-06-01"
    assert output["baseline_date"] == "2026-05-29"
    assert output["checkpoint_count"] == 14
    assert [s["index"] for s in output["schedule"]] == list(range(1, 15))
    assert output["schedule"][0] == {
        "index": 1,
        "checkpoint_date": "2026-06-01",
        "wake_at": "2026-06-01T21:15:00Z",
    }
    assert output["loop"] == {"cursor": 0, "current": output["schedule"][0]}


def test_rerunning_a_checkpoint_changes_nothing(invoke: Any, conn: psycopg.Connection) -> None:
    batch_id = new_batch(invoke)["batch_id"]
    task = {"batch_id": batch_id, "checkpoint_index": 3, "checkpoint_date": "2026-06-03"}
    first = invoke("CheckpointFunction", task)
    before = get_batch_detail(conn, batch_id)
    second = invoke("CheckpointFunction", task)
    assert second == first
    assert get_batch_detail(conn, batch_id) == before
    assert first["status"] == "computed"


def test_a_checkpoint_for_a_finished_batch_is_refused(
    invoke: Any, conn: psycopg.Connection
) -> None:
    batch_id = new_batch(invoke)["batch_id"]
    set_batch_status(conn, batch_id, "completed", from_status="active")
    before = get_batch_detail(conn, batch_id)
    with pytest.raises(BatchNotActive, match="only be written for an active batch"):
        invoke(
            "CheckpointFunction",
            {"batch_id": batch_id, "checkpoint_index": 6, "checkpoint_date": "2026-06-06"},
        )
    assert get_batch_detail(conn, batch_id) == before


def test_a_missing_close_refused_for_a_finished_batch_leaves_no_event(
    invoke: Any, conn: psycopg.Connection
) -> None:
    # Given a completed batch
    batch_id = new_batch(invoke)["batch_id"]
    set_batch_status(conn, batch_id, "completed", from_status="active")
    events_before = list_events(conn, batch_id)
    # When a close that never came is recorded for it
    with pytest.raises(BatchNotActive):
        invoke(
            "CheckpointFunction",
            {
                "batch_id": batch_id,
                "checkpoint_index": 5,
                "checkpoint_date": "2026-06-05",
                "close_missing": {"Error": "MarketDataNotReady", "Cause": "not yet"},
            },
        )
    # Then neither the skipped day nor its reason was stored
    assert list_events(conn, batch_id) == events_before
    assert len(get_batch_detail(conn, batch_id).checkpoints) == 1


def _record_fortnight(invoke: Any, batch_id: str) -> None:
    for index in range(1, 15):
        day = JUNE_1 + timedelta(days=index - 1)
        invoke(
            "CheckpointFunction",
            {"batch_id": batch_id, "checkpoint_index": index, "checkpoint_date": day.isoformat()},
        )


def test_complete_batch_is_idempotent(invoke: Any) -> None:
    # Given a batch whose 14 days are recorded
    batch_id = new_batch(invoke)["batch_id"]
    _record_fortnight(invoke, batch_id)
    # When it is completed twice
    first = invoke("CompleteBatchFunction", {"batch_id": batch_id})
    # Then the second changes nothing
    assert first["status"] == "completed"
    assert first["checkpoints_computed"] + first["checkpoints_skipped"] == 14
    assert invoke("CompleteBatchFunction", {"batch_id": batch_id}) == first


def test_complete_batch_refuses_a_fortnight_with_missing_days(
    invoke: Any, conn: psycopg.Connection
) -> None:
    # Given a batch with its baseline and only its first three days
    batch_id = new_batch(invoke)["batch_id"]
    for index in range(1, 4):
        day = JUNE_1 + timedelta(days=index - 1)
        invoke(
            "CheckpointFunction",
            {"batch_id": batch_id, "checkpoint_index": index, "checkpoint_date": day.isoformat()},
        )
    before = get_batch_detail(conn, batch_id)
    # When CompleteBatch runs
    with pytest.raises(BatchIncomplete, match="lacks 11 of its 14 days"):
        invoke("CompleteBatchFunction", {"batch_id": batch_id})
    # Then the batch stays active and unchanged
    assert get_batch_detail(conn, batch_id) == before
    assert before.batch.status == "active"


def test_mark_batch_failed_records_the_error_and_fails_an_active_batch(
    invoke: Any, conn: psycopg.Connection
) -> None:
    batch_id = new_batch(invoke)["batch_id"]
    error = {"Error": "MarketDataPremiumOnly", "Cause": '{"errorMessage": "SPY: premium"}'}
    output = invoke("MarkBatchFailedFunction", {"state": {"batch_id": batch_id, "error": error}})
    assert output["outcome"] == "batch_marked_failed"
    assert get_batch_detail(conn, batch_id).batch.status == "failed"
    failure = list_events(conn, batch_id)[-1]
    assert failure.event_type == "batch_failed"
    assert failure.payload["error"] == "MarketDataPremiumOnly"


def test_mark_batch_failed_before_any_batch_records_a_run_failure(
    invoke: Any, conn: psycopg.Connection
) -> None:
    error = {"Error": "PickerRefused", "Cause": "the model refused"}
    output = invoke(
        "MarkBatchFailedFunction", {"state": {"run_date": "2026-06-01", "error": error}}
    )
    assert output == {
        "batch_id": None,
        "outcome": "no_batch_recorded",
        "error": "PickerRefused",
        "cause": "the model refused",
    }
    row = conn.execute("SELECT batch_id, event_type, payload FROM events").fetchone()
    assert row == (
        None,
        "run_failed",
        {
            "error": "PickerRefused",
            "cause": "the model refused",
            "run_date": "2026-06-01",
            "execution_name": None,
        },
    )


@pytest.mark.parametrize(
    ("started", "monday"),
    [
        (datetime(2026, 6, 1, 12, tzinfo=UTC), JUNE_1),  # Monday 08:00 New York
        (datetime(2026, 6, 3, 15, tzinfo=UTC), JUNE_1),  # a late (redriven) start mid-week
        (datetime(2026, 6, 1, 3, tzinfo=UTC), date(2026, 5, 25)),  # still Sunday in New York
    ],
)
def test_a_scheduled_run_derives_its_monday_from_the_start_time(
    started: datetime, monday: date
) -> None:
    task = parse_task(
        PlanRunTask,
        {"execution_input": {}, "execution_started_at": started, "context": CONTEXT},
    )
    assert resolve_run_date(task) == monday


@pytest.mark.parametrize("bad", ["2026-06-02", "06/01/2026", "tomorrow", "20260601", "2026-02-30"])
def test_a_manual_run_date_must_be_a_monday(bad: str) -> None:
    task = parse_task(
        PlanRunTask,
        {"execution_input": {"run_date": bad}, "execution_started_at": JUNE_1, "context": CONTEXT},
    )
    with pytest.raises(InvalidRunDate):
        resolve_run_date(task)


@pytest.mark.parametrize(
    ("event", "named"),
    [
        (
            {"execution_inptu": {}, "execution_started_at": "2026-06-01T12:00:00Z"},
            "execution_inptu",
        ),
        ({"execution_input": {"run_dat": "2026-06-01"}}, "run_dat"),
        ({"execution_input": {"run_date": 20260601}}, "run_date"),
        ({"execution_input": {"resume_batch_id": "nope"}}, "resume_batch_id"),
        ({"execution_input": {"run_date": "2026-06-01", "resume_batch_id": "x"}}, "run_date"),
    ],
)
def test_a_bad_start_input_is_invalid_run_input_naming_the_field(
    invoke: Any, conn: psycopg.Connection, event: dict[str, Any], named: str
) -> None:
    # Given a start input with a misspelled, missing or malformed key
    full = {"execution_started_at": "2026-06-01T12:00:00Z", "context": CONTEXT, **event}
    # When PlanRun receives it
    with pytest.raises(InvalidRunInput, match=named):
        invoke("PlanRunFunction", full)
    # Then nothing was written (no scheduled run for "now", no batch)
    row = conn.execute("SELECT count(*) FROM batches").fetchone()
    assert row == (0,)


@pytest.mark.parametrize(
    "state",
    [{"error": "garbage"}, {"batch_id": "not-a-uuid", "error": {"Error": "X"}}, {}],
)
def test_a_forged_failure_state_is_refused(invoke: Any, state: dict[str, Any]) -> None:
    with pytest.raises(InvalidRunInput, match="state"):
        invoke("MarkBatchFailedFunction", {"state": state})


@pytest.mark.parametrize(
    ("function", "missing"),
    [
        ("AskContenderFunction", "OPENAI_API_KEY_PARAMETER"),
        ("PlanRunFunction", "ALPHA_VANTAGE_API_KEY_PARAMETER"),
        ("CheckpointFunction", "ALPHA_VANTAGE_API_KEY_PARAMETER"),
        ("HealthFunction", "DATABASE_URL_PARAMETER"),
        ("CompleteBatchFunction", "DATABASE_URL_PARAMETER"),
    ],
)
def test_on_lambda_a_missing_setting_fails_the_cold_start_naming_it(
    function: str, missing: str, template: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from alpha_monday.config import reset_settings_cache
    from alpha_monday.domain.errors import ConfigurationError

    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", function)
    if missing != "DATABASE_URL_PARAMETER":
        monkeypatch.setenv("DATABASE_URL_PARAMETER", "/alpha-monday/dev/database-url")
    if missing == "OPENAI_API_KEY_PARAMETER":
        monkeypatch.setenv("ALPHA_VANTAGE_API_KEY_PARAMETER", "/alpha-monday/dev/av")
    reset_settings_cache()
    try:
        with pytest.raises(ConfigurationError, match=missing):
            load_handler(functions(template)[function])
    finally:
        reset_settings_cache()


def test_workflow_logs_are_json_with_the_batch_and_the_checkpoint_date(
    invoke: Any, service_logs: Any
) -> None:
    # When a batch is made and a checkpoint recorded
    batch_id = new_batch(invoke)["batch_id"]
    invoke(
        "CheckpointFunction",
        {"batch_id": batch_id, "checkpoint_index": 2, "checkpoint_date": "2026-06-02"},
    )
    # Then each line is JSON, and the checkpoint's carries the batch and the date
    records = service_logs()
    computed = next(r for r in records if r["message"] == "checkpoint computed")
    assert computed["batch_id"] == batch_id
    assert computed["checkpoint_date"] == "2026-06-02"
    assert computed["service"] == "alpha-monday"
    assert computed["function_name"] == "CheckpointFunction"
    created = next(r for r in records if r["message"] == "batch created")
    assert created["run_date"] == "2026-06-01"


def _halve_benchmark_close(conn: psycopg.Connection, day: str) -> None:
    """SPY's cached close for `day` halves: a benchmark jump no split can explain."""
    conn.execute(
        "UPDATE prices SET close = close / 2 WHERE symbol = 'SPY' AND trading_date = %s", (day,)
    )


def test_a_rerun_that_cannot_score_a_computed_day_reports_it_computed_and_skips_nothing(
    invoke: Any, conn: psycopg.Connection, service_logs: Any
) -> None:
    # Given a computed day whose benchmark close, read again, no longer scores
    batch_id = new_batch(invoke)["batch_id"]
    task = {"batch_id": batch_id, "checkpoint_index": 2, "checkpoint_date": "2026-06-02"}
    first = invoke("CheckpointFunction", task)
    assert first["status"] == "computed"
    before = get_batch_detail(conn, batch_id)
    _halve_benchmark_close(conn, "2026-06-02")
    # When the same checkpoint runs again
    again = invoke("CheckpointFunction", task)
    # Then the day stays computed, is reported as it stands, and no skip is told or counted
    assert get_batch_detail(conn, batch_id) == before
    assert again == first
    assert "checkpoint_skipped" not in [e.event_type for e in list_events(conn, batch_id)]
    assert not [line for line in service_logs() if line.get("message") == "checkpoint skipped"]


def test_a_benchmark_that_cannot_be_scored_skips_the_day_with_its_event(
    invoke: Any, conn: psycopg.Connection
) -> None:
    # Given a batch whose benchmark close on June 3rd (cached by June 2nd's fetch) halved
    batch_id = new_batch(invoke)["batch_id"]
    day_2 = {"batch_id": batch_id, "checkpoint_index": 2, "checkpoint_date": "2026-06-02"}
    assert invoke("CheckpointFunction", day_2)["status"] == "computed"
    _halve_benchmark_close(conn, "2026-06-03")
    # When its checkpoint runs
    result = invoke(
        "CheckpointFunction",
        {"batch_id": batch_id, "checkpoint_index": 3, "checkpoint_date": "2026-06-03"},
    )
    # Then the day is skipped, and events say why, as for every other skipped day
    assert result["status"] == "skipped"
    skipped = [
        e.payload for e in list_events(conn, batch_id) if e.event_type == "checkpoint_skipped"
    ]
    assert skipped == [{"checkpoint_date": "2026-06-03", "reason": result["skip_reason"]}]
