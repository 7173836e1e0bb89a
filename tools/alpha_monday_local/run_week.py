"""`alpha-monday run-week`: one whole weekly run through the real state machine, locally."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from alpha_monday.config import provider_settings
from alpha_monday.db.batches import batch_id_for_run_date, get_batch_detail
from alpha_monday.db.connection import get_connection
from alpha_monday.db.models import BatchDetail
from alpha_monday.domain.calendar import market_date, market_instant_utc
from alpha_monday.integrations.providers import build_market_data, build_picker
from alpha_monday.workflow.dependencies import WorkflowDependencies, using_dependencies
from alpha_monday_local.sfn_runner import (
    ExecutionReport,
    HistoryEvent,
    LocalWorkflow,
    SimulatedClock,
)

FORTNIGHT = timedelta(days=13)
SCHEDULED_START = time(8, 0)


def latest_finished_monday(now: datetime | None = None) -> date:
    """The most recent Monday whose 14th checkpoint instant has passed."""
    now = now or datetime.now(UTC)
    today = market_date(now)
    monday = today - timedelta(days=today.weekday())
    while market_instant_utc(monday + FORTNIGHT, provider_settings().checkpoint_local_time) > now:
        monday -= timedelta(weeks=1)
    return monday


def _pct(value: Decimal | None) -> str:
    return "n/a" if value is None else f"{value:+.2f}%"


def _describe_state_entered(details: dict[str, Any]) -> str:
    state = details["name"]
    if state != "WaitForMarketClose":
        return f"  {state}"
    current = json.loads(details["input"])["loop"]["current"]
    return (
        f"  {state:<26} until {current['wake_at']} for checkpoint "
        f"{current['index']:>2} ({current['checkpoint_date']}), fast-forwarded"
    )


def _describe_task_output(state: str, output: dict[str, Any]) -> str | None:
    if state == "GeneratePicks":
        picks = ", ".join(f"{p['action']} {p['ticker']}" for p in output["picks"])
        return (
            f"    batch {output['batch_id']} by {output['model']}: {picks} "
            f"(baseline {output['baseline_date']})"
        )
    last = output.get("last_checkpoint")
    if not last:
        return None
    if last["status"] == "skipped":
        return f"    {last['checkpoint_date']} skipped: {last['skip_reason']}"
    benchmark = _pct(Decimal(last["benchmark_return_pct"]))
    return f"    {last['checkpoint_date']} computed: benchmark {benchmark}"


def describe_event(event: HistoryEvent) -> str | None:
    """One console line for a state entered or a task finished, like the Step Functions console."""
    kind = event["type"]
    if kind.endswith("StateEntered"):
        return _describe_state_entered(event["stateEnteredEventDetails"])
    if kind == "TaskStateExited":
        details = event["stateExitedEventDetails"]
        return _describe_task_output(details["name"], json.loads(details["output"]))
    if kind in ("ExecutionFailed", "ExecutionSucceeded"):
        return f"  execution {kind.removeprefix('Execution').lower()}"
    return None


def result_table(detail: BatchDetail) -> str:
    batch = detail.batch
    computed = [c for c in detail.checkpoints if c.benchmark_return_pct is not None]
    last = computed[-1] if computed else None
    metrics = {m.pick_id: m for m in last.metrics} if last else {}
    last_date = last.checkpoint_date.isoformat() if last else "none yet"
    lines = [
        f"Batch {batch.id}  run_date {batch.run_date}  status {batch.status}  "
        f"model {batch.model}  last computed checkpoint {last_date}",
        f"{'ticker':<8}{'action':<8}{'baseline':>12}{'last close':>12}{'return':>10}{'vs SPY':>10}",
    ]
    for pick in detail.picks:
        metric = metrics.get(pick.id)
        close = f"{metric.current_price:.2f}" if metric else "n/a"
        lines.append(
            f"{pick.ticker:<8}{pick.action:<8}{pick.initial_price:>12.2f}{close:>12}"
            f"{_pct(metric.absolute_return_pct if metric else None):>10}"
            f"{_pct(metric.vs_benchmark_pct if metric else None):>10}"
        )
    benchmark_close = f"{last.benchmark_price:.2f}" if last and last.benchmark_price else "n/a"
    lines.append(
        f"{batch.benchmark_symbol:<8}{'':<8}{batch.benchmark_initial_price:>12.2f}"
        f"{benchmark_close:>12}{_pct(last.benchmark_return_pct if last else None):>10}"
    )
    return "\n".join(lines)


def local_dependencies(clock: SimulatedClock) -> WorkflowDependencies:
    """The configured providers; offline ones live on the simulated clock of the run."""
    settings = provider_settings()
    if settings.alpha_vantage_api_key is None:
        market = build_market_data(settings, get_connection, now=clock.now, sleep=clock.advance)
    else:
        # The real market publishes on the real clock and counts real days.
        market = build_market_data(settings, get_connection)
    return WorkflowDependencies(settings=settings, market=market, picker=build_picker(settings))


def print_event(event: HistoryEvent) -> None:
    line = describe_event(event)
    if line:
        print(line, flush=True)


def run_week(
    run_date: date, on_event: Callable[[HistoryEvent], None] | None = None
) -> tuple[ExecutionReport, BatchDetail | None]:
    """Run the weekly state machine for `run_date` and return the batch it recorded.

    The simulated clock starts when the schedule would have fired (Monday 08:00 in New
    York), so each checkpoint sees the market as it was after that day's close.
    """
    clock = SimulatedClock(market_instant_utc(run_date, SCHEDULED_START))
    with using_dependencies(local_dependencies(clock)):
        report = LocalWorkflow(on_event=on_event, clock=clock).run(
            {"run_date": run_date.isoformat()}
        )
    batch_id = batch_id_for_run_date(get_connection(), run_date)
    detail = get_batch_detail(get_connection(), batch_id) if batch_id else None
    return report, detail


def summary(report: ExecutionReport) -> dict[str, Any]:
    return {
        "status": report.status,
        "error": report.error,
        "lambda_invocations": sum(report.invocations.values()),
        "state_transitions": report.state_transitions,
        "wall_seconds": round(report.wall_seconds, 2),
    }
