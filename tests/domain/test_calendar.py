"""The NYSE calendar: sessions, holidays, and the DST-correct checkpoint instant."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from alpha_monday.domain.calendar import closed_reason, is_session, last_session_before
from alpha_monday.domain.market_time import market_instant_utc


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2026, 11, 21), "weekend"),  # Saturday
        (date(2026, 11, 22), "weekend"),  # Sunday
        (date(2026, 4, 3), "holiday: Good Friday"),
        (date(2026, 11, 26), "holiday: Thanksgiving Day"),
        (date(2026, 7, 3), "holiday: Independence Day (observed)"),  # July 4 is Saturday
        (date(2026, 6, 19), "holiday: Juneteenth National Independence Day"),
        (date(2026, 1, 19), "holiday: Martin Luther King Jr. Day"),
        (
            date(2025, 1, 9),
            "holiday: National Day of Mourning for former President Jimmy Carter",
        ),
    ],
)
def test_closed_days(day: date, reason: str) -> None:
    assert not is_session(day)
    assert closed_reason(day) == reason


@pytest.mark.parametrize(
    "day",
    [date(2026, 11, 23), date(2026, 11, 27), date(2026, 7, 2), date(2026, 4, 2), date(2026, 3, 9)],
)
def test_ordinary_weekdays_are_sessions(day: date) -> None:
    assert is_session(day)
    assert closed_reason(day) is None


@pytest.mark.parametrize(
    ("day", "previous"),
    [
        (date(2026, 11, 23), date(2026, 11, 20)),  # Monday -> Friday
        (date(2026, 1, 20), date(2026, 1, 16)),  # after MLK Monday -> Friday
        (date(2026, 4, 6), date(2026, 4, 2)),  # Monday after Good Friday -> Thursday
        (date(2026, 11, 27), date(2026, 11, 25)),  # after Thanksgiving -> Wednesday
        (date(2026, 11, 24), date(2026, 11, 23)),  # Tuesday -> Monday
    ],
)
def test_last_session_strictly_before(day: date, previous: date) -> None:
    assert last_session_before(day) == previous


@pytest.mark.parametrize(
    ("day", "instant"),
    [
        (date(2026, 3, 6), datetime(2026, 3, 6, 22, 15, tzinfo=UTC)),  # EST, UTC-5
        (date(2026, 3, 8), datetime(2026, 3, 8, 21, 15, tzinfo=UTC)),  # DST starts that day
        (date(2026, 3, 9), datetime(2026, 3, 9, 21, 15, tzinfo=UTC)),  # EDT, UTC-4
        (date(2026, 10, 30), datetime(2026, 10, 30, 21, 15, tzinfo=UTC)),
        (date(2026, 11, 1), datetime(2026, 11, 1, 22, 15, tzinfo=UTC)),  # DST ends that day
        (date(2026, 11, 2), datetime(2026, 11, 2, 22, 15, tzinfo=UTC)),
    ],
)
def test_checkpoint_instant_follows_daylight_saving(day: date, instant: datetime) -> None:
    assert market_instant_utc(day, time(17, 15)) == instant
