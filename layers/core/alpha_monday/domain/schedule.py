"""The fortnight of a batch: its checkpoint dates, when each wakes, when a close is final."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from alpha_monday.domain.dates import parse_iso_date
from alpha_monday.domain.errors import CheckpointNotInSchedule, InvalidRunDate
from alpha_monday.domain.market_time import market_date, market_instant_utc
from alpha_monday.domain.model import Checkpoint

CHECKPOINT_COUNT = 14
MARKET_CLOSE = time(16, 0)


@dataclass(frozen=True)
class ScheduledDay:
    index: int
    checkpoint_date: date
    wake_at: datetime


MONDAY = 0


def monday_of(instant: datetime) -> date:
    """The Monday (New York) of the week of `instant`: a scheduled run's run_date."""
    day = market_date(instant)
    return day - timedelta(days=day.weekday())


def requested_run_date(text: str) -> date:
    """A manual run's Monday, or InvalidRunDate saying what is wrong with it."""
    try:
        run_date = parse_iso_date(text)
    except ValueError:
        raise InvalidRunDate(f"run_date must be a real date as YYYY-MM-DD, got {text!r}") from None
    if run_date.weekday() != MONDAY:
        raise InvalidRunDate(
            f"run_date {run_date.isoformat()} is a {run_date.strftime('%A')}; it must be a Monday"
        )
    return run_date


def checkpoint_date(run_date: date, index: int) -> date:
    """Checkpoint k (1..14) is run_date + (k - 1) days."""
    if not 1 <= index <= CHECKPOINT_COUNT:
        raise ValueError(f"checkpoint index must be 1..{CHECKPOINT_COUNT}, got {index}")
    return run_date + timedelta(days=index - 1)


def check_checkpoint_slot(run_date: date, index: int, day: date) -> None:
    """A checkpoint task must name one of the batch's 14 days by its index and its date.

    A forged or stale task (index 99, the baseline, a date that is not its index's) would
    otherwise write a row the schedule never asks for.
    """
    if not 1 <= index <= CHECKPOINT_COUNT:
        raise CheckpointNotInSchedule(
            f"checkpoint_index must be 1..{CHECKPOINT_COUNT}, got {index}"
        )
    expected = checkpoint_date(run_date, index)
    if day != expected:
        raise CheckpointNotInSchedule(
            f"checkpoint {index} of the batch of {run_date.isoformat()} is on "
            f"{expected.isoformat()}, not {day.isoformat()}"
        )


def checkpoint_dates(run_date: date) -> list[date]:
    return [checkpoint_date(run_date, k) for k in range(1, CHECKPOINT_COUNT + 1)]


def fortnight_schedule(run_date: date, local_time: time) -> list[ScheduledDay]:
    """Each checkpoint wakes at `local_time` New York on its date, as UTC (DST-correct)."""
    return [
        ScheduledDay(index=k, checkpoint_date=day, wake_at=market_instant_utc(day, local_time))
        for k, day in enumerate(checkpoint_dates(run_date), start=1)
    ]


def close_final_at(trading_date: date, margin: timedelta) -> datetime:
    """The first instant a bar for `trading_date` may be taken as that day's close."""
    return market_instant_utc(trading_date, MARKET_CLOSE) + margin


def close_is_final(trading_date: date, fetched_at: datetime, margin: timedelta) -> bool:
    """A bar fetched before 16:00 New York (plus the margin) on its date may still move."""
    return fetched_at >= close_final_at(trading_date, margin)


def missing_days(run_date: date, recorded: Iterable[date]) -> list[date]:
    """The days of the fortnight with no checkpoint row yet."""
    have = set(recorded)
    return [day for day in checkpoint_dates(run_date) if day not in have]


def final_checkpoint(checkpoints: Iterable[Checkpoint], run_date: date) -> Checkpoint | None:
    """The last computed day of the fortnight (the baseline has no returns): the batch's result."""
    computed = [c for c in checkpoints if c.status == "computed" and c.checkpoint_date >= run_date]
    return max(computed, key=lambda c: c.checkpoint_date, default=None)
