"""The fortnight's rules: schedule, final closes, splits, skip reasons, healing, the result."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from alpha_monday.domain import skip_reasons
from alpha_monday.domain.corporate_actions import CorporateAction, CorporateActions
from alpha_monday.domain.model import Checkpoint
from alpha_monday.domain.prices import close_problem
from alpha_monday.domain.schedule import (
    checkpoint_date,
    close_is_final,
    final_checkpoint,
    fortnight_schedule,
    missing_days,
)

MONDAY = date(2026, 11, 23)
MARGIN = timedelta(minutes=30)
D = Decimal


def _checkpoint(day: date, status: str = "computed", reason: str | None = None) -> Checkpoint:
    return Checkpoint(
        id=uuid4(),
        batch_id=uuid4(),
        checkpoint_date=day,
        status=status,  # type: ignore[arg-type]
        benchmark_price=D("600") if status == "computed" else None,
        benchmark_return_pct=None if day < MONDAY or status == "skipped" else D("0.100000"),
        skip_reason=reason,
    )


def test_checkpoint_k_is_run_date_plus_k_minus_one_days() -> None:
    assert checkpoint_date(MONDAY, 1) == MONDAY
    assert checkpoint_date(MONDAY, 14) == date(2026, 12, 6)
    with pytest.raises(ValueError, match=r"1\.\.14"):
        checkpoint_date(MONDAY, 15)


def test_the_schedule_wakes_at_local_time_converted_per_date() -> None:
    schedule = fortnight_schedule(date(2026, 10, 26), time(17, 15))
    assert [day.index for day in schedule] == list(range(1, 15))
    assert schedule[0].wake_at == datetime(2026, 10, 26, 21, 15, tzinfo=UTC)  # EDT
    assert schedule[-1].wake_at == datetime(2026, 11, 8, 22, 15, tzinfo=UTC)  # EST


@pytest.mark.parametrize(
    ("fetched_at_utc", "final"),
    [
        (datetime(2026, 11, 20, 17, 0, tzinfo=UTC), False),  # 12:00 New York
        (datetime(2026, 11, 20, 21, 10, tzinfo=UTC), False),  # 16:10
        (datetime(2026, 11, 20, 21, 30, tzinfo=UTC), True),  # 16:30 exactly
        (datetime(2026, 11, 21, 14, 0, tzinfo=UTC), True),  # the next morning
    ],
)
def test_a_close_is_final_from_four_pm_new_york_plus_the_margin(
    fetched_at_utc: datetime, final: bool
) -> None:
    assert close_is_final(date(2026, 11, 20), fetched_at_utc, MARGIN) is final


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("187.44", None),
        ("0", "not a positive price"),
        ("-1", "not a positive price"),
        ("NaN", "not a finite number"),
        ("Infinity", "not a finite number"),
        ("1E+100000", "beyond the sane bound"),
    ],
)
def test_a_close_must_be_finite_positive_and_sane(value: str, problem: str | None) -> None:
    found = close_problem(D(value))
    assert found is None if problem is None else problem in (found or "")


def _actions(*rows: tuple[str, date, str]) -> CorporateActions:
    return CorporateActions.of(CorporateAction("X", k, d, D(v)) for k, d, v in rows)  # type: ignore[arg-type]


def test_splits_count_from_their_effective_date_inside_the_window_only() -> None:
    actions = _actions(("split", date(2021, 7, 20), "4"), ("split", date(2026, 11, 25), "2"))
    assert actions.split_factor(date(2026, 11, 20), date(2026, 11, 24)) == D(1)
    assert actions.split_factor(date(2026, 11, 20), date(2026, 11, 25)) == D(2)
    # A split before the baseline is history: already in the baseline's close.
    assert actions.split_factor(date(2026, 11, 25), date(2026, 12, 1)) == D(1)


def test_dividends_sum_in_the_window_each_in_the_later_shares() -> None:
    actions = _actions(
        ("dividend", date(2026, 11, 24), "1.00"),
        ("split", date(2026, 11, 26), "4"),
        ("dividend", date(2026, 11, 27), "0.30"),
    )
    assert actions.dividends_per_share(date(2026, 11, 23), date(2026, 11, 25)) == D("1.00")
    assert actions.dividends_per_share(date(2026, 11, 23), date(2026, 11, 27)) == D("0.55")
    assert actions.dividends_per_share(date(2026, 11, 24), date(2026, 11, 27)) == D("0.30")


def test_growth_compares_two_closes_in_the_same_shares_with_the_cash_paid() -> None:
    actions = _actions(("split", date(2026, 11, 25), "20"), ("dividend", date(2026, 11, 25), "1"))
    growth = actions.growth((date(2026, 11, 24), D("2000")), (date(2026, 11, 25), D("99")))
    assert growth == D(1)


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        ("MarketDataNotReady", "close never published"),
        ("MarketDataRateLimited", "rate limited"),
        ("MarketDataUnavailable", "provider unavailable"),
        ("MarketDataInvalidClose", "invalid price"),
    ],
)
def test_each_provider_failure_has_its_own_healable_reason(error: str, reason: str) -> None:
    assert skip_reasons.reason_for_provider_error(error) == reason
    assert skip_reasons.is_healable(reason)


@pytest.mark.parametrize(
    "reason", ["weekend", "holiday: Thanksgiving Day", "symbol unknown: XYZ", None]
)
def test_a_closed_market_or_a_lost_symbol_is_final(reason: str | None) -> None:
    assert not skip_reasons.is_healable(reason)


def test_days_to_heal_are_earlier_provider_skips_only() -> None:
    checkpoints = [
        _checkpoint(date(2026, 11, 20)),  # the baseline
        _checkpoint(MONDAY, "skipped", "provider unavailable"),
        _checkpoint(MONDAY + timedelta(1), "skipped", "rate limited"),
        _checkpoint(MONDAY + timedelta(3), "skipped", "holiday: Thanksgiving Day"),
        _checkpoint(MONDAY + timedelta(4), "skipped", "close never published"),
    ]
    assert skip_reasons.days_to_heal(checkpoints, MONDAY, MONDAY + timedelta(4)) == [
        MONDAY,
        MONDAY + timedelta(1),
    ]


def test_the_result_is_the_last_computed_day_and_missing_days_are_named() -> None:
    checkpoints = [
        _checkpoint(date(2026, 11, 20)),
        _checkpoint(MONDAY),
        _checkpoint(MONDAY + timedelta(1)),
        _checkpoint(MONDAY + timedelta(2), "skipped", "provider unavailable"),
    ]
    final = final_checkpoint(checkpoints, MONDAY)
    assert final is not None
    assert final.checkpoint_date == MONDAY + timedelta(1)
    assert final_checkpoint(checkpoints[:1], MONDAY) is None
    days = [c.checkpoint_date for c in checkpoints]
    assert missing_days(MONDAY, days)[0] == MONDAY + timedelta(3)
    assert len(missing_days(MONDAY, days)) == 11
