"""A weekly run that can't get stuck or re-roll: idempotent GeneratePicks, every model answer
kept, the stuck-run sweeper, correlated logs and business metrics."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

import httpx
import psycopg
import pytest

from alpha_monday import business_metrics
from alpha_monday.db.batches import get_batch_detail, set_batch_status
from alpha_monday.db.events import list_events
from alpha_monday.domain.errors import (
    DatabaseUnavailable,
    MarketDataRateLimited,
    PickerInvalidOutput,
)
from alpha_monday.domain.market_data import DailySeries
from alpha_monday.domain.picks import PickerResult, PickRequest, TickerCheck
from alpha_monday.integrations.offline import ScriptedPicker
from alpha_monday.integrations.openai_picker import OpenAIPicker
from alpha_monday.workflow import generate_picks
from alpha_monday_local.lambda_context import LocalLambdaContext
from alpha_monday_local.paths import SHARED_DIR
from alpha_monday_local.template import functions, load_handler
from tests.fake_openai import FakeOpenAI
from tests.fake_openai import serving as serving_openai
from tests.fakes import ScriptedTransport, chat_completion, picks_json
from tests.workflow.conftest import FixedPicker, RunWeekly, WrappedSource, new_batch

JUNE_1 = date(2026, 6, 1)
PICKS = (("AAPL", "BUY"), ("MSFT", "SELL"), ("NVDA", "BUY"))


class CountingPicker:
    """Delegates to another picker, counting the model calls."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls = 0
        self.model = getattr(inner, "model", "counting")
        self.offline = inner.offline

    def pick(self, request: PickRequest, check_ticker: TickerCheck) -> PickerResult:
        self.calls += 1
        result: PickerResult = self.inner.pick(request, check_ticker)
        return result


class FailingPicker:
    """Answers twice with picks the rules reject, then gives up, as OpenAIPicker does."""

    model = "failing-test-picker"
    offline = False

    def pick(self, request: PickRequest, check_ticker: TickerCheck) -> PickerResult:
        from alpha_monday.domain.picks import PickerAttempt

        error = PickerInvalidOutput("no acceptable picks after 2 attempts")
        error.attempts = (
            PickerAttempt(raw_output='{"picks": []}', problems=("picks: too short",)),
            PickerAttempt(raw_output='{"picks": [1]}', problems=("picks.0: not an object",)),
        )
        raise error


def _events(conn: psycopg.Connection, event_type: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT payload FROM events WHERE event_type = %s ORDER BY created_at", (event_type,)
    ).fetchall()
    return [row[0] for row in rows]


def test_a_retry_after_the_commit_returns_the_same_batch_without_asking_the_model_again(
    run_weekly: RunWeekly, conn: psycopg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the connection drops just after GeneratePicks committed its batch (once)
    real_plan = generate_picks.tracking_plan
    dropped: list[bool] = []

    def plan_after_a_dropped_connection(*args: Any) -> Any:
        if not dropped:
            dropped.append(True)
            raise DatabaseUnavailable("the database connection failed")
        return real_plan(*args)

    monkeypatch.setattr(generate_picks, "tracking_plan", plan_after_a_dropped_connection)
    picker = CountingPicker(FixedPicker(("AAPL", "BUY"), ("MSFT", "SELL"), ("NVDA", "BUY")))
    # When the weekly run executes (Step Functions retries DatabaseUnavailable)
    run = run_weekly(JUNE_1, picker=picker)
    # Then the retry returned the committed batch: one model call, one batch, completed
    assert run.report.status == "SUCCEEDED", run.report.cause
    assert run.report.invocations["GeneratePicksFunction"] == 2
    assert picker.calls == 1
    row = conn.execute("SELECT count(*), min(status) FROM batches").fetchone()
    assert row == (1, "completed")
    assert len(_events(conn, "picker_answered")) == 1


def test_every_answer_of_a_run_whose_picker_gave_up_is_kept(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    # Given a model whose answers are all rejected
    run = run_weekly(JUNE_1, picker=FailingPicker())  # type: ignore[arg-type]
    # Then the run failed without a batch, and both answers are in events
    assert run.report.status == "FAILED"
    assert conn.execute("SELECT count(*) FROM batches").fetchone() == (0,)
    (answered,) = _events(conn, "picker_answered")
    assert answered["outcome"] == "PickerInvalidOutput"
    assert [a["raw_output"] for a in answered["attempts"]] == ['{"picks": []}', '{"picks": [1]}']
    assert answered["execution_name"]
    (failed,) = _events(conn, "run_failed")
    assert failed["error"] == "PickerInvalidOutput"


def test_the_answer_of_a_run_that_fails_after_the_picker_is_kept(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    # Given picks the picker never checked, one unknown to the market
    class Unchecked(FixedPicker):
        def pick(self, request: PickRequest, check_ticker: TickerCheck) -> PickerResult:
            return super().pick(request, lambda _: None)

    run = run_weekly(JUNE_1, picker=Unchecked(("AAPL", "BUY"), ("ZZZZ", "SELL"), ("NVDA", "BUY")))
    # Then the run failed before any batch, and the accepted answer is on record
    assert run.report.status == "FAILED"
    assert conn.execute("SELECT count(*) FROM batches").fetchone() == (0,)
    (answered,) = _events(conn, "picker_answered")
    assert answered["outcome"] == "accepted"
    assert "ZZZZ" in answered["attempts"][0]["raw_output"]


def _sweeper_event(status: str = "TIMED_OUT") -> dict[str, Any]:
    event: dict[str, Any] = json.loads(
        (SHARED_DIR / "events" / "sweep_stuck_run_timed_out.json").read_text()
    )
    event["detail"]["status"] = status
    return event


def _handler(template: dict[str, Any], name: str, factory: Any = None) -> Any:
    handler = load_handler(functions(template)[name], factory)
    return lambda event: handler(event, LocalLambdaContext(name, "test"))


def _generate(invoke: Any) -> dict[str, Any]:
    # The execution the sample sweeper event names, committing its batch.
    return new_batch(invoke, execution="manual-2026-11-23")


@pytest.fixture
def generate(database_url: str, template: dict[str, Any]) -> Any:
    """Calls a workflow function's handler by name, as the state machine would."""
    from datetime import UTC, datetime

    from alpha_monday_local.sfn_runner import SimulatedClock
    from tests.workflow.conftest import workflow_factory

    clock = SimulatedClock(datetime(2026, 6, 20, tzinfo=UTC))
    factory = workflow_factory(clock, picker=ScriptedPicker())
    return lambda function, event: _handler(template, function, factory)(event)


def test_the_sweeper_fails_the_batch_of_an_execution_that_timed_out_after_its_commit(
    generate: Any, template: dict[str, Any], conn: psycopg.Connection
) -> None:
    # Given an execution that committed its batch, then timed out (MarkBatchFailed never ran)
    batch_id = UUID(_generate(generate)["batch_id"])
    sweep = _handler(template, "SweepStuckRunFunction")
    # When EventBridge delivers the TIMED_OUT status change (the sample event)
    output = sweep(_sweeper_event())
    # Then the batch is failed, with the reason in events
    assert output == {
        "execution_name": "manual-2026-11-23",
        "batch_id": str(batch_id),
        "outcome": "batch_marked_failed",
    }
    assert get_batch_detail(conn, batch_id).batch.status == "failed"
    (failure,) = [e for e in list_events(conn, batch_id) if e.event_type == "batch_failed"]
    assert failure.payload["error"] == "ExecutionTimedOut"
    assert failure.payload["source"] == "stuck-run sweeper"
    # And a second delivery changes nothing
    events_before = list_events(conn, batch_id)
    assert sweep(_sweeper_event())["outcome"] == "batch_already_finished"
    assert list_events(conn, batch_id) == events_before


@pytest.mark.parametrize("status", ["FAILED", "ABORTED"])
def test_the_sweeper_leaves_a_completed_batch_alone(
    generate: Any, template: dict[str, Any], conn: psycopg.Connection, status: str
) -> None:
    batch_id = UUID(_generate(generate)["batch_id"])
    set_batch_status(conn, batch_id, "completed", from_status="active")
    events_before = list_events(conn, batch_id)
    output = _handler(template, "SweepStuckRunFunction")(_sweeper_event(status))
    assert output["outcome"] == "batch_already_finished"
    assert get_batch_detail(conn, batch_id).batch.status == "completed"
    assert list_events(conn, batch_id) == events_before


def test_the_sweeper_ignores_an_execution_that_made_no_batch(
    database_url: str, template: dict[str, Any], conn: psycopg.Connection
) -> None:
    output = _handler(template, "SweepStuckRunFunction")(_sweeper_event("ABORTED"))
    assert output["outcome"] == "no_batch"
    assert conn.execute("SELECT count(*) FROM events").fetchone() == (0,)


def test_step_logs_carry_the_run_the_step_and_the_retry_and_a_failure_is_logged_once(
    generate: Any, template: dict[str, Any], conn: psycopg.Connection, service_logs: Any
) -> None:
    # Given a batch that is already completed
    batch_id = _generate(generate)["batch_id"]
    set_batch_status(conn, UUID(batch_id), "completed", from_status="active")
    # When a retried checkpoint runs for it
    with pytest.raises(Exception, match="active batch"):
        _handler(template, "CheckpointFunction")(
            {
                "batch_id": batch_id,
                "checkpoint_index": 6,
                "checkpoint_date": "2026-06-06",
                "context": {
                    "workflow_run_id": "manual-2026-11-23",
                    "step_name": "RecordCheckpoint",
                    "retry_count": 2,
                },
            }
        )
    # Then every line names the run and the step, and the failure is logged once
    records = service_logs()
    created = next(r for r in records if r["message"] == "batch created")
    assert created["workflow_run_id"] == "manual-2026-11-23"
    assert created["step_name"] == "GeneratePicks"
    assert created["batch_id"] == batch_id
    failures = [r for r in records if r["message"] == "step failed"]
    assert len(failures) == 1
    assert failures[0]["error"] == "BatchNotActive"
    assert failures[0]["step_name"] == "RecordCheckpoint"
    assert failures[0]["retry_count"] == 2
    assert failures[0]["batch_id"] == batch_id


@pytest.mark.parametrize(
    ("error", "metrics"),
    [
        ("MarketDataUnavailable", {"SessionsSkippedForProviderReason"}),
        ("MarketDataKeyRefused", {"SessionsSkippedForProviderReason", "SessionsSkippedKeyRefused"}),
    ],
)
def test_a_session_skipped_for_a_provider_reason_is_a_business_metric(
    generate: Any,
    template: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
    error: str,
    metrics: set[str],
) -> None:
    # Given a batch, and a close that never came for Wednesday June 3rd
    batch_id = _generate(generate)["batch_id"]
    capsys.readouterr()
    _handler(template, "CheckpointFunction")(
        {
            "batch_id": batch_id,
            "checkpoint_index": 3,
            "checkpoint_date": "2026-06-03",
            "close_missing": {"Error": error, "Cause": "from Alpha Vantage"},
        }
    )
    # Then the step published its metrics in embedded metric format (the alarms watch them)
    blobs = [json.loads(line) for line in capsys.readouterr().out.splitlines() if "_aws" in line]
    published = {
        m["Name"] for b in blobs for d in b["_aws"]["CloudWatchMetrics"] for m in d["Metrics"]
    }
    assert metrics <= published
    assert ("SessionsSkippedKeyRefused" in published) == ("SessionsSkippedKeyRefused" in metrics)
    assert blobs[0]["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "AlphaMonday"


def test_disabled_metrics_are_not_collected_so_they_never_reach_stdout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given metrics disabled, as run-week disables them
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    # When more checkpoints are counted than Powertools holds before printing on its own
    for _ in range(150):
        business_metrics.count(business_metrics.CHECKPOINTS_COMPUTED)
    # Then nothing was printed, and nothing waits to be
    assert '"_aws"' not in capsys.readouterr().out
    assert business_metrics.metrics.metric_set == {}


@dataclass
class RateLimitedOnce(WrappedSource):
    """Wraps a source: the first fetch of `symbol` is refused for the rate limit."""

    symbol: str
    refused: list[str] = field(default_factory=list)
    name: str = "a market that rate-limits once"

    def daily_closes(self, symbol: str) -> DailySeries:
        if symbol == self.symbol and not self.refused:
            self.refused.append(symbol)
            raise MarketDataRateLimited(symbol, "Alpha Vantage: rate limit")
        return self.inner.daily_closes(symbol)


def test_a_rate_limit_while_checking_a_ticker_does_not_ask_the_model_again(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    # Given the real OpenAI picker with one answer to give, and MSFT's check rate-limited once
    scripted = ScriptedTransport([chat_completion(picks_json(*PICKS), model="gpt-4o-2024-08-06")])
    picker = OpenAIPicker(
        "sk-test", "gpt-4o", timeout_seconds=5, max_retries=0, max_reasks=2,
        transport=scripted.transport,
    )  # fmt: skip
    # When the weekly run executes (AskContender is retried for the rate limit)
    run = run_weekly(
        JUNE_1, picker=picker, source=lambda clock, synthetic: RateLimitedOnce(synthetic, "MSFT")
    )
    # Then the retry reviewed the kept answer: one model call, and the batch names the model
    # that answered
    assert run.report.status == "SUCCEEDED", run.report.cause
    assert run.report.invocations["AskContenderFunction"] == 2
    assert len(scripted.requests) == 1
    assert conn.execute("SELECT model FROM batches").fetchone() == ("gpt-4o-2024-08-06",)
    outcomes = [answer["outcome"] for answer in _events(conn, "picker_answered")]
    assert outcomes == ["PickerCheckInterrupted", "accepted"]


@dataclass
class RealLooking(WrappedSource):
    """The synthetic market under another source's name: a run that is not offline."""

    name: str = "a real-looking market"

    @property
    def source_id(self) -> str:
        return "alpha_vantage"

    @property
    def offline(self) -> bool:
        return False


class StandInPicker(FixedPicker):
    """A stand-in under a name of its own: what it says it is decides, not its name."""

    model = "a-stand-in-named-like-a-model"
    offline = True


@pytest.mark.parametrize(
    ("picker", "source", "origin"),
    [
        (FixedPicker(*PICKS), lambda clock, synthetic: RealLooking(synthetic), "live"),
        (ScriptedPicker(), lambda clock, synthetic: RealLooking(synthetic), "simulated"),
        (FixedPicker(*PICKS), None, "simulated"),
        (StandInPicker(*PICKS), lambda clock, synthetic: RealLooking(synthetic), "simulated"),
    ],
    ids=["real-providers-before-the-open", "offline-picker", "offline-market", "any-stand-in"],
)
def test_the_batch_records_its_origin(
    run_weekly: RunWeekly, conn: psycopg.Connection, picker: Any, source: Any, origin: str
) -> None:
    # When the scheduled run commits its picks at 08:00 New York on the Monday
    run = run_weekly(JUNE_1, picker=picker, source=source)
    # Then the batch says whether real providers made it before the market opened
    assert run.report.status == "SUCCEEDED", run.report.cause
    assert conn.execute("SELECT origin FROM batches").fetchone() == (origin,)


@pytest.mark.parametrize(
    ("body", "content_type", "error", "invocations"),
    [
        (b"<html><body>502 Bad Gateway</body></html>", "text/html", "PickerUnavailable", 5),
        (
            json.dumps({"id": "chatcmpl-f", "object": "chat.completion", "choices": []}).encode(),
            "application/json",
            "PickerRefused",
            1,
        ),
    ],
    ids=["proxy-page-retried", "empty-choices-not-retried"],
)
def test_an_answer_that_is_no_completion_fails_the_run_by_name_and_is_kept(
    run_weekly: RunWeekly,
    conn: psycopg.Connection,
    monkeypatch: pytest.MonkeyPatch,
    *,
    body: bytes,
    content_type: str,
    error: str,
    invocations: int,
) -> None:
    # Given the real OpenAI client against a service that answers 200 with no completion
    with serving_openai(FakeOpenAI(content="", raw_body=body, content_type=content_type)) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        picker = OpenAIPicker("sk-test", "gpt-4o", timeout_seconds=5, max_retries=0, max_reasks=2)
        # When the weekly run executes
        run = run_weekly(JUNE_1, picker=picker)
    # Then it failed with the named error (retried only when transient), without a batch
    assert run.report.status == "FAILED"
    assert error in (run.report.error or "") + (run.report.cause or "")
    assert run.report.invocations["AskContenderFunction"] == invocations
    assert conn.execute("SELECT count(*) FROM batches").fetchone() == (0,)
    # And every answer is kept as received, under its error's name
    answered = _events(conn, "picker_answered")
    assert len(answered) == invocations
    for answer in answered:
        assert answer["outcome"] == error
        assert [a["raw_output"] for a in answer["attempts"]] == [body.decode()]


def test_a_request_openai_rejects_fails_the_run_once_with_openai_s_reason(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    # Given a model that does not support the strict schema (HTTP 400 from OpenAI)
    reason = "'response_format' of type 'json_schema' is not supported with this model."
    refused = httpx.Response(400, json={"error": {"message": reason, "type": "invalid_request"}})
    scripted = ScriptedTransport([refused] * 5)
    picker = OpenAIPicker(
        "sk-test", "gpt-3.5-turbo", timeout_seconds=5, max_retries=0, max_reasks=2,
        transport=scripted.transport,
    )  # fmt: skip
    # When the weekly run executes
    run = run_weekly(JUNE_1, picker=picker)
    # Then the model was asked once (no retry can succeed) and the failure keeps its reason
    assert run.report.status == "FAILED"
    assert run.report.invocations["AskContenderFunction"] == 1
    assert len(scripted.requests) == 1
    (failed,) = _events(conn, "run_failed")
    assert failed["error"] == "PickerRequestRejected"
    assert reason in failed["cause"]
