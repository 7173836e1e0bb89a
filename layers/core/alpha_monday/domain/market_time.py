"""New York market time: the instant of a local time on a date, and the date at an instant
(DST-correct). Apart from the holiday calendar (domain/calendar.py), so code that only
needs the clock does not load the NYSE holiday tables."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

MARKET_TIMEZONE = ZoneInfo("America/New_York")


def market_instant_utc(day: date, local_time: time) -> datetime:
    """`local_time` in New York on `day`, as a UTC instant (DST-correct for that date)."""
    return datetime.combine(day, local_time, tzinfo=MARKET_TIMEZONE).astimezone(UTC)


def market_date(instant: datetime) -> date:
    """The New York calendar date at `instant`."""
    return instant.astimezone(MARKET_TIMEZONE).date()
