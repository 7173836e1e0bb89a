"""Which skipped days a later run may fill in, and how a reason maps to its kind."""

from __future__ import annotations

import json

import pytest

from alpha_monday.domain import errors, skip_reasons
from alpha_monday.domain.skip_reasons import days_to_heal, is_healable, reason_for_provider_error
from alpha_monday_local.paths import SHARED_DIR
from tests.domain.memory import RUN_DATE, batch, day, pick, skipped


@pytest.mark.parametrize(
    ("reason", "healable"),
    [
        ("provider unavailable", True),
        ("rate limited", True),
        ("close never published", True),
        ("invalid price", True),
        ("weekend", False),
        ("holiday: Thanksgiving Day", False),
        ("symbol unknown: SPY", False),
        ("provider refused the key", True),
        ("unconfirmed move: SPY (close 0.5000x its last published close)", True),
        ("outlier: SPY (close 1 was 0.0020x its last published close)", False),
        (None, False),
    ],
)
def test_only_provider_reasons_heal(reason: str | None, healable: bool) -> None:
    assert is_healable(reason) is healable


def test_the_days_to_heal_are_the_provider_skips_before_the_given_day_in_order() -> None:
    # Given a fortnight with an outage on day 3, a weekend on day 6 and a rate limit on day 9
    detail = batch(
        (pick("AAPL", "BUY", "100"),),
        "500",
        skipped(day(9), "rate limited"),
        skipped(day(3), "provider unavailable"),
        skipped(day(6), "weekend"),
    )
    # Then checkpoint 9 may heal day 3 only; the completion (after day 14) both
    assert days_to_heal(detail.checkpoints, RUN_DATE, day(9)) == [day(3)]
    assert days_to_heal(detail.checkpoints, RUN_DATE, day(15)) == [day(3), day(9)]


def test_every_error_the_state_machine_routes_to_a_missing_close_has_its_reason() -> None:
    # Given the errors RecordCheckpoint's Catch sends to RecordMissingClose
    definition = json.loads((SHARED_DIR / "statemachine" / "weekly_run.asl.json").read_text())
    (routed,) = [
        catch["ErrorEquals"]
        for catch in definition["States"]["RecordCheckpoint"]["Catch"]
        if catch["Next"] == "RecordMissingClose"
    ]
    # Then each is an error class of the domain with a reason of its own, never a fallback
    for name in routed:
        assert issubclass(getattr(errors, name), errors.MarketDataError)
        assert skip_reasons.is_healable(reason_for_provider_error(name))
    assert sorted(routed) == sorted(skip_reasons.REASON_BY_ERROR)


def test_an_error_that_is_no_missing_close_is_refused_not_called_an_outage() -> None:
    with pytest.raises(errors.CloseMissingRefused, match="MarketDataPremiumOnly"):
        reason_for_provider_error("MarketDataPremiumOnly")
