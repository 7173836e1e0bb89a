"""`alpha-monday run-week`: one whole weekly run through the real state machine, locally."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from alpha_monday.config import market_settings
from alpha_monday.db.batches import batch_id_for_run_date, get_batch_detail
from alpha_monday.db.connection import get_connection
from alpha_monday.db.models import BatchDetail
from alpha_monday.db.translate import translated_database_errors
from alpha_monday.domain.calendar import market_date, market_instant_utc
from alpha_monday.integrations.offline import WALK_START
from alpha_monday.integrations.providers import utc_now
from alpha_monday.workflow.dependencies import DependencyFactory, using_factory
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


def run_week(
    run_date: date, on_event: Callable[[HistoryEvent], None] | None = None
) -> ExecutionReport:
    """Run the weekly state machine for `run_date` (see `recorded_batch` for its result).

    The simulated clock starts when the schedule would have fired (Monday 08:00 in New
    York), so each checkpoint sees the market as it was after that day's close.
    """
    clock = SimulatedClock(market_instant_utc(run_date, SCHEDULED_START))
    with using_factory(local_factory(clock)):
        report = LocalWorkflow(on_event=on_event, clock=clock).run(
            {"run_date": run_date.isoformat()}
        )
    return report


def recorded_batch(run_date: date) -> BatchDetail | None:
    """The batch of `run_date`, or None; DatabaseUnavailable if the database died."""
    with translated_database_errors():
        batch_id = batch_id_for_run_date(get_connection(), run_date)
        return get_batch_detail(get_connection(), batch_id) if batch_id else None
