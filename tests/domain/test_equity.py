"""$100 following the picks against $100 in SPY, in two sleeves of non-overlapping
fortnights, worked by hand."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from alpha_monday.domain.equity import EquityPoint, FortnightResult, equity_curve

MONDAY = date(2026, 1, 5)


def _fortnight(week: int, returns: tuple[str, ...], spy: str) -> FortnightResult:
    run_date = MONDAY + timedelta(weeks=week)
    return FortnightResult(
        run_date, run_date + timedelta(days=11), tuple(Decimal(r) for r in returns), Decimal(spy)
    )


def test_overlapping_fortnights_fill_two_sleeves_and_the_drawdown_follows_the_peak() -> None:
    # Given week 0 (+10 % and 0 %: +5 %), week 1 overlapping it (-10 %) and week 2 (+4 %),
    # which follows week 0 in the same sleeve; SPY +2 %, -1 %, 0 %
    curve = equity_curve(
        [
            _fortnight(0, ("10", "0"), "2"),
            _fortnight(1, ("-10",), "-1"),
            _fortnight(2, ("4",), "0"),
        ]
    )
    # Then $50 + $50 become 52.50 + 50, then 52.50 + 45, then 54.60 + 45
    assert curve == (
        EquityPoint(MONDAY, Decimal("100.0000"), Decimal("100.0000"), Decimal("0.000000")),
        EquityPoint(
            date(2026, 1, 16), Decimal("102.5000"), Decimal("101.0000"), Decimal("0.000000")
        ),
        EquityPoint(
            date(2026, 1, 23), Decimal("97.5000"), Decimal("100.5000"), Decimal("-4.878049")
        ),
        EquityPoint(
            date(2026, 1, 30), Decimal("99.6000"), Decimal("100.5000"), Decimal("-2.829268")
        ),
    )


def test_no_completed_fortnight_has_no_curve() -> None:
    assert equity_curve([]) == ()
