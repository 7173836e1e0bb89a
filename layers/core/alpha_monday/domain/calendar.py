"""The NYSE calendar: which dates are sessions, and when a day's close is final.

Holidays come from the maintained `holidays` package (its NYSE calendar includes observed
holidays and special closures such as national days of mourning).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays

from alpha_monday.domain.skip_reasons import WEEKEND, holiday

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
