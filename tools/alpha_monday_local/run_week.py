"""`alpha-monday run-week`: one whole weekly run through the real state machine, locally."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from uuid import UUID

import psutil

from alpha_monday.db.batches import (
    active_batches_with_trackers,
    batch_of_run,
    get_batch_detail,
)
from alpha_monday.db.connection import get_connection
from alpha_monday.db.translate import translated_database_errors
from alpha_monday.domain.errors import BatchNotFound, BatchNotResumable
from alpha_monday.domain.market_time import market_date, market_instant_utc
from alpha_monday.domain.model import BatchDetail
from alpha_monday.integrations.offline import WALK_START
from alpha_monday.integrations.providers import utc_now
from alpha_monday.run_config import market_settings
from alpha_monday.workflow.dependencies import DependencyFactory
from alpha_monday.workflow.failures import record_run_failure
from alpha_monday_local.sfn_runner import (
    ExecutionReport,
    HistoryEvent,
    LocalWorkflow,
    SimulatedClock,
)

FORTNIGHT = timedelta(days=13)
SCHEDULED_START = time(8, 0)
# The offline walk needs a baseline session before the Monday (and the walk's first week).
FIRST_OFFLINE_MONDAY = WALK_START + timedelta(weeks=1)


def latest_finished_monday(now: datetime | None = None) -> date:
    """The most recent Monday whose 14th checkpoint instant has passed."""
    now = now or utc_now()
    today = market_date(now)
    monday = today - timedelta(days=today.weekday())
    while market_instant_utc(monday + FORTNIGHT, market_settings().checkpoint_local_time) > now:
        monday -= timedelta(weeks=1)
    return monday


class RunDateRefused(ValueError):
    """A run date `run-week` will not play, with the reason."""


def check_run_date(run_date: date, now: datetime, *, offline: bool) -> None:
    """Refuse what cannot make an honest local run (the state machine refuses the rest)."""
    if run_date.weekday() != 0:
        raise RunDateRefused(
            f"{run_date.isoformat()} is a {run_date.strftime('%A')}: run-week takes a Monday "
            f"as YYYY-MM-DD"
        )
    if run_date < FIRST_OFFLINE_MONDAY:
        raise RunDateRefused(
            f"{run_date.isoformat()} is before the market data run-week can replay: pick a "
            f"Monday from {FIRST_OFFLINE_MONDAY.isoformat()} on (YYYY-MM-DD)"
        )
    if not offline:
        return
    fortnight_over = market_instant_utc(
        run_date + FORTNIGHT, market_settings().checkpoint_local_time
    )
    if fortnight_over > now:
        raise RunDateRefused(
            f"the fortnight of {run_date.isoformat()} is not over until "
            f"{fortnight_over:%Y-%m-%d %H:%M} UTC, and the offline market does not make up "
            f"future prices; the latest finished Monday is "
            f"{latest_finished_monday(now).isoformat()}"
        )


def local_factory(clock: SimulatedClock) -> DependencyFactory:
    """The configured providers; the offline market lives on the simulated clock of the run."""
    if market_settings().alpha_vantage_api_key is None:
        return DependencyFactory(now=clock.now, sleep=clock.advance)
    # The real market publishes on the real clock and counts real days.
    return DependencyFactory()


LOCAL_EXECUTION_PREFIX = "local-"


def local_execution_name() -> str:
    """Names this process: a later run-week can tell whether the run that left a batch
    active is still alive (its pid)."""
    return f"{LOCAL_EXECUTION_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:12]}"


def _local_run_is_gone(execution_name: str) -> bool:
    pid_text = execution_name.removeprefix(LOCAL_EXECUTION_PREFIX).split("-", 1)[0]
    return pid_text.isdigit() and not psutil.pid_exists(int(pid_text))


def run_week(
    run_date: date,
    on_event: Callable[[HistoryEvent], None] | None = None,
    resume_batch_id: UUID | None = None,
) -> ExecutionReport:
    """Run the weekly state machine for `run_date`, or resume the failed batch of that
    Monday (see `recorded_batch` for its result).

    The simulated clock starts when the schedule would have fired (Monday 08:00 in New
    York), so each checkpoint sees the market as it was after that day's close.
    """
    clock = SimulatedClock(market_instant_utc(run_date, SCHEDULED_START))
    execution_input = (
        {"resume_batch_id": str(resume_batch_id)}
        if resume_batch_id
        else {"run_date": run_date.isoformat()}
    )
    workflow = LocalWorkflow(on_event=on_event, clock=clock, factory=local_factory(clock))
    return workflow.run(execution_input, execution_name=local_execution_name())


def batch_to_resume(batch_id: UUID) -> BatchDetail:
    """The batch `--resume` names (BatchNotResumable when there is none)."""
    with translated_database_errors():
        try:
            return get_batch_detail(get_connection(), batch_id)
        except BatchNotFound:
            raise BatchNotResumable(f"there is no batch {batch_id} to resume") from None


def sweep_abandoned_local_runs() -> list[BatchDetail]:
    """Fail the batches left `active` by a local run whose process died (killed, or the
    database went away under it): locally no EventBridge rule tells the sweeper, so the
    next run-week does. A batch tracked on AWS, or by a live local run, is left alone."""
    swept: list[BatchDetail] = []
    with translated_database_errors():
        conn = get_connection()
        for batch_id, tracker in active_batches_with_trackers(conn):
            if not tracker or not tracker.startswith(LOCAL_EXECUTION_PREFIX):
                continue
            if not _local_run_is_gone(tracker):
                continue
            details = {
                "error": "LocalRunAbandoned",
                "cause": "the run-week process of this execution ended before its batch did",
                "execution_name": tracker,
                "source": "run-week on its next start",
            }
            if record_run_failure(conn, batch_id, details, tracker) == "batch_marked_failed":
                swept.append(get_batch_detail(conn, batch_id))
    return swept


def recorded_batch(run_date: date) -> BatchDetail | None:
    """The batch of `run_date`, or None; DatabaseUnavailable if the database died."""
    with translated_database_errors():
        recorded = batch_of_run(get_connection(), run_date)
        return get_batch_detail(get_connection(), recorded[0]) if recorded else None
