"""A batch's origin: live only when nothing of its fortnight had traded."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from alpha_monday.domain.origin import batch_origin

MONDAY = date(2026, 6, 1)  # New York is UTC-4 in June: the open is 13:30 UTC


@pytest.mark.parametrize(
    ("offline", "committed_at", "origin"),
    [
        (False, datetime(2026, 6, 1, 12, 0, tzinfo=UTC), "live"),  # 08:00 New York
        (False, datetime(2026, 6, 1, 13, 29, 59, tzinfo=UTC), "live"),
        (False, datetime(2026, 6, 1, 13, 30, tzinfo=UTC), "retrospective"),  # the open
        (False, datetime(2026, 11, 22, 12, 0, tzinfo=UTC), "retrospective"),  # months later
        (True, datetime(2026, 6, 1, 12, 0, tzinfo=UTC), "simulated"),
        (True, datetime(2026, 11, 22, 12, 0, tzinfo=UTC), "simulated"),
    ],
)
def test_origin(offline: bool, committed_at: datetime, origin: str) -> None:
    assert batch_origin(offline=offline, committed_at=committed_at, run_date=MONDAY) == origin


def test_the_open_moves_with_daylight_saving() -> None:
    # In January New York is UTC-5: 14:00 UTC is 09:00, before the open
    january = date(2026, 1, 5)
    at = datetime(2026, 1, 5, 14, 0, tzinfo=UTC)
    assert batch_origin(offline=False, committed_at=at, run_date=january) == "live"
