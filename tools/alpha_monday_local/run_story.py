"""What `alpha-monday run-week` prints: one line per day, one line for a failure, a table.

It reads the execution history as the Step Functions console shows it, so loop-control
states (counters, choices, waits) stay out of the story.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from alpha_monday.domain.model import BatchDetail
from alpha_monday.domain.schedule import final_checkpoint
from alpha_monday_local.sfn_runner import ExecutionReport, HistoryEvent

TASK_STATES = (
    "PlanRun",
    "AskContender",
    "GeneratePicks",
    "RecordCheckpoint",
    "RecordMissingClose",
    "CompleteBatch",
)
# The states before the loop: a failure there has no day to name.
PICKING_STATES = ("PlanRun", "AskContender", "GeneratePicks")
LEGEND = (
    "return: the position's own total return since the baseline close (dividends added, "
    "splits adjusted;\n"
    "        for a SELL, the stock's fall: a short, which pays the dividends).\n"
    "vs SPY: the call's score. BUY = stock return - SPY return; SELL = SPY return - stock "
    "return,\n"
    "        so a SELL is right (positive) whenever the stock does worse than SPY, even if "
    "both rise.\n"
    "Prices are closes exactly as the provider sent them; returns are percent, rounded once "
    "to 6 places."
)


def pct(value: Decimal | str | None) -> str:
    return "n/a" if value is None else f"{Decimal(value):+.2f}%"


def _weekday(day: str) -> str:
    return date.fromisoformat(day).strftime("%a")


def _day_line(last: dict[str, Any]) -> str:
    day = last["checkpoint_date"]
    head = f"  {day} {_weekday(day)}  "
    if last["status"] == "skipped":
        line = f"{head}skipped: {last['skip_reason']}"
    else:
        picks = "  ".join(
            f"{p['action']} {p['ticker']} {pct(p['absolute_return_pct'])}"
            f" (vs SPY {pct(p['vs_benchmark_pct'])})"
            for p in last.get("picks", [])
        )
        left_out = "".join(
            f"  {p['ticker']}: {p['reason']}" for p in last.get("picks_left_out", [])
        )
        line = f"{head}SPY {pct(last.get('benchmark_return_pct'))}  |  {picks}{left_out}"
    healed = last.get("healed_dates") or []
    if healed:
        line += f"  [filled in {', '.join(healed)}]"
    return line


def _cause_message(cause: str | None) -> str:
    """A Lambda error's cause is a JSON document; people want its message."""
    if not cause:
        return ""
    try:
        parsed = json.loads(cause)
    except ValueError:
        return cause
    if isinstance(parsed, dict):
        return str(parsed.get("errorMessage") or parsed)
    return cause


def _picks_line(output: dict[str, Any]) -> str:
    """The week's picks: the model's, or (several entries) each contender's on its line."""
    by_contender: dict[str, list[str]] = {}
    for p in output["picks"]:
        by_contender.setdefault(p["contender"], []).append(f"{p['action']} {p['ticker']}")
    baseline = f"(baseline: the {output['baseline_date']} close)"
    if len(by_contender) == 1:
        return f"  picks by {output['model']}: {', '.join(*by_contender.values())}  {baseline}"
    lines = [f"  {name}: {', '.join(picks)}" for name, picks in by_contender.items()]
    return "\n".join([f"  picks {baseline}", *lines])


def _describe_exit(state: str, output: dict[str, Any]) -> str | None:
    if "error" in output:
        return None  # caught: the failure line at the end says what happened
    if state in ("PlanRun", "GeneratePicks") and "picks" in output:
        return _picks_line(output)
    if state in ("RecordCheckpoint", "RecordMissingClose"):
        last = output.get("last_checkpoint") or {}
        if last.get("checkpoint_date") != output["loop"]["current"]["checkpoint_date"]:
            return None  # the day's task failed and was caught: RecordMissingClose tells it
        return _day_line(last)
    if state == "CompleteBatch":
        healed = output.get("healed_dates") or []
        suffix = f" (filled in {', '.join(healed)})" if healed else ""
        return f"  batch {output['status']}{suffix}"
    return None


@dataclass
class RunStory:
    """Turns history events into console lines, remembering where a failure happened."""

    lines: list[str] = field(default_factory=list)
    last_task: str | None = None
    last_day: str | None = None

    def see(self, event: HistoryEvent) -> str | None:
        kind = event["type"]
        if kind == "TaskStateEntered":
            self._entered(event["stateEnteredEventDetails"])
        elif kind == "TaskStateExited":
            details = event["stateExitedEventDetails"]
            return _describe_exit(details["name"], json.loads(details["output"]))
        elif kind == "PassStateExited" and event["stateExitedEventDetails"]["name"] == (
            "ContenderFailed"
        ):
            failed = json.loads(event["stateExitedEventDetails"]["output"])
            return f"  {failed['contender']} failed after its retries: {failed['error']}"
        return None

    def _entered(self, details: dict[str, Any]) -> None:
        if details["name"] in TASK_STATES:
            self.last_task = details["name"]
            current = json.loads(details["input"]).get("loop", {}).get("current", {})
            self.last_day = current.get("checkpoint_date")

    def failure_line(self, report: ExecutionReport, batch_state: str) -> str:
        where = self.last_task or "the start"
        if self.last_day and where not in PICKING_STATES:
            where += f" ({self.last_day})"
        message = _cause_message(report.cause)
        return f"FAILED at {where}: {report.error}: {message} -- {batch_state}"


def result_table(detail: BatchDetail) -> str:
    batch = detail.batch
    last = final_checkpoint(detail.checkpoints, batch.run_date)
    metrics = {m.pick_id: m for m in last.metrics} if last else {}
    last_date = last.checkpoint_date.isoformat() if last else "none yet"
    lines = [
        f"Batch {batch.id}  run_date {batch.run_date}  status {batch.status}  "
        f"origin {batch.origin}  model {batch.model}  last computed day {last_date}",
        f"{'ticker':<8}{'action':<8}{'baseline':>14}{'last close':>14}{'return':>11}{'vs SPY':>11}",
    ]
    entries = {entry.id: entry for entry in detail.entries}
    shown = None
    for pick in detail.picks:
        entry = entries[pick.entry_id]
        if len(entries) > 1 and entry.id != shown:
            shown = entry.id
            lines.append(f"{entry.contender} ({entry.model or 'drawn at random'}):")
        metric = metrics.get(pick.id)
        # Closes exactly as stored (the legend's promise), never rounded for the table.
        close = f"{metric.current_price}" if metric else "n/a"
        lines.append(
            f"{pick.ticker:<8}{pick.action:<8}{pick.initial_price:>14}{close:>14}"
            f"{pct(metric.absolute_return_pct if metric else None):>11}"
            f"{pct(metric.vs_benchmark_pct if metric else None):>11}"
        )
    benchmark_close = f"{last.benchmark_price}" if last and last.benchmark_price else "n/a"
    lines.append(
        f"{batch.benchmark_symbol:<8}{'':<8}{batch.benchmark_initial_price:>14}"
        f"{benchmark_close:>14}{pct(last.benchmark_return_pct if last else None):>11}"
    )
    return "\n".join([*lines, *_actions_and_rescorings(detail), "", LEGEND])


def _actions_and_rescorings(detail: BatchDetail) -> list[str]:
    """The corporate actions counted and the days rescored: what explains the table."""
    lines = [
        f"counted: {a.symbol} {a.kind} {a.value} on {a.action_date} "
        f"(from the {a.first_counted_on} checkpoint)"
        for a in detail.corporate_actions
    ]
    lines.extend(
        f"rescored {c.checkpoint_date}: {c.rescored_because}"
        for c in detail.checkpoints
        if c.rescored_because
    )
    return ["", *lines] if lines else []


def execution_summary(report: ExecutionReport) -> str:
    return (
        f"execution {report.status} in {report.wall_seconds:.1f} s: "
        f"{sum(report.invocations.values())} Lambda invocations, "
        f"{report.state_transitions} state transitions"
    )
