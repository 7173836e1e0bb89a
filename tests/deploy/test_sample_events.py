"""Every function has a sample event in shared/events/ (for `sam local invoke`) that works."""

from __future__ import annotations

import json
from typing import Any

import psycopg
import pytest

from alpha_monday.domain.errors import InvalidRunInput
from alpha_monday.workflow.handler import parse_task
from alpha_monday.workflow.models import (
    AskContenderTask,
    CheckpointTask,
    CompleteBatchTask,
    ExecutionEnded,
    GeneratePicksTask,
    MarkBatchFailedTask,
    PlanRunTask,
)
from alpha_monday_local.lambda_context import LocalLambdaContext
from alpha_monday_local.paths import SHARED_DIR
from alpha_monday_local.template import functions, load_handler
from tests.builders import seed_batches

EVENTS = SHARED_DIR / "events"

API_EVENTS = {
    "api_health.json": ("HealthFunction", 200),
    "api_latest.json": ("LatestBatchFunction", 200),
    "api_list_batches.json": ("ListBatchesFunction", 200),
    "api_get_batch.json": ("GetBatchFunction", 404),  # a sample id, unknown here
    "api_track_record.json": ("TrackRecordFunction", 200),
}
TASK_EVENTS = {
    "plan_run_scheduled.json": PlanRunTask,
    "plan_run_manual.json": PlanRunTask,
    "ask_contender.json": AskContenderTask,
    "generate_picks.json": GeneratePicksTask,
    "checkpoint.json": CheckpointTask,
    "checkpoint_close_missing.json": CheckpointTask,
    "complete_batch.json": CompleteBatchTask,
    "mark_batch_failed.json": MarkBatchFailedTask,
    "sweep_stuck_run_timed_out.json": ExecutionEnded,
}


def _load(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / name).read_text())
    return event


def test_every_function_has_a_sample_event(template: dict[str, Any]) -> None:
    names = {path.name for path in EVENTS.glob("*.json")}
    prefixes = {
        "HealthFunction": "api_health",
        "LatestBatchFunction": "api_latest",
        "ListBatchesFunction": "api_list_batches",
        "GetBatchFunction": "api_get_batch",
        "TrackRecordFunction": "api_track_record",
        "DashboardFunction": "api_dashboard",
        "PlanRunFunction": "plan_run",
        "AskContenderFunction": "ask_contender",
        "GeneratePicksFunction": "generate_picks",
        "CheckpointFunction": "checkpoint",
        "CompleteBatchFunction": "complete_batch",
        "MarkBatchFailedFunction": "mark_batch_failed",
        "MigrateFunction": "migrate",
        "SweepStuckRunFunction": "sweep_stuck_run",
    }
    assert set(prefixes) == set(functions(template))
    for function, prefix in prefixes.items():
        assert any(name.startswith(prefix) for name in names), function
    assert "schedule_input.json" in names


@pytest.mark.parametrize("name", sorted(API_EVENTS))
def test_api_sample_events_are_served_by_their_function(
    name: str, template: dict[str, Any], conn: psycopg.Connection
) -> None:
    seed_batches(conn, 2)
    function, status = API_EVENTS[name]
    handler = load_handler(functions(template)[function])
    result = handler(_load(name), LocalLambdaContext(function, "sample"))
    assert result["statusCode"] == status
    json.loads(result["body"])


@pytest.mark.parametrize("name", ["api_dashboard.json", "api_dashboard_week.json"])
def test_the_pages_sample_events_get_their_page(
    name: str, template: dict[str, Any], conn: psycopg.Connection
) -> None:
    seed_batches(conn, 2)  # the first on 2026-01-05, the week the sample asks for
    handler = load_handler(functions(template)["DashboardFunction"])
    result = handler(_load(name), LocalLambdaContext("DashboardFunction", "s"))
    assert result["statusCode"] == 200
    assert result["body"].startswith("<!doctype html>")


@pytest.mark.parametrize("name", sorted(TASK_EVENTS))
def test_task_sample_events_are_valid_task_inputs(name: str) -> None:
    parse_task(TASK_EVENTS[name], _load(name))


@pytest.mark.parametrize("name", sorted(set(TASK_EVENTS) - {"sweep_stuck_run_timed_out.json"}))
def test_a_misspelled_key_in_a_task_sample_event_is_invalid_run_input(name: str) -> None:
    # Given the sample with one of its keys misspelled (as a hand-edited `sam local` event)
    event = _load(name)
    key = next(k for k in event if k != "context")
    event[key + "x"] = event.pop(key)
    # Then it is refused with InvalidRunInput naming the key
    with pytest.raises(InvalidRunInput, match=key):
        parse_task(TASK_EVENTS[name], event)


def test_the_schedule_input_starts_a_scheduled_run() -> None:
    # EventBridge Scheduler starts the execution with `{}`: no run_date, so the Monday of
    # the start time is used.
    assert _load("schedule_input.json") == {}
