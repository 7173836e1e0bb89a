"""The NYSE calendar: which dates are sessions, and when a day's close is final.

Holidays come from the maintained `holidays` package (its NYSE calendar includes observed
holidays and special closures such as national days of mourning).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

from alpha_monday.domain.skip_reasons import WEEKEND, holiday

MARKET_TIMEZONE = ZoneInfo("America/New_York")
SATURDAY = 5


@cache
def _nyse_holidays(year: int) -> holidays.HolidayBase:
    return holidays.financial_holidays("NYSE", years=year)


def is_session(day: date) -> bool:
    """True when the NYSE trades on `day` (not a weekend, not an exchange holiday)."""
    return day.weekday() < SATURDAY and day not in _nyse_holidays(day.year)


def closed_reason(day: date) -> str | None:
    """Why the NYSE is closed on `day`, or None on a session."""
    if day.weekday() >= SATURDAY:
        return WEEKEND
    name = _nyse_holidays(day.year).get(day)
    return holiday(name) if name else None


def last_session_before(day: date) -> date:
    """The last NYSE session strictly before `day`."""
    candidate = day - timedelta(days=1)
    while not is_session(candidate):
        candidate -= timedelta(days=1)
    return candidate


def market_instant_utc(day: date, local_time: time) -> datetime:
    """`local_time` in New York on `day`, as a UTC instant (DST-correct for that date)."""
    return datetime.combine(day, local_time, tzinfo=MARKET_TIMEZONE).astimezone(UTC)


def market_date(instant: datetime) -> date:
    """The New York calendar date at `instant`."""
    return instant.astimezone(MARKET_TIMEZONE).date()
