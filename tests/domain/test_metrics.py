"""The returns of docs/scoring.md on a table of cases: BUY and SELL, up and down markets."""

from __future__ import annotations

from decimal import Decimal

import pytest

from alpha_monday.domain.metrics import benchmark_return_pct, pick_returns, rounded_return

D = Decimal


@pytest.mark.parametrize(
    "case",
    [
        # The case: SPY +2 %, a SELL pick +1 %: the call was right, +1 vs SPY.
        ("SELL", "100", "101", "500", "510", "-1.000000", "1.000000"),
        # SELL in a falling market: the stock falls more than SPY: right again.
        ("SELL", "100", "95", "500", "490", "5.000000", "3.000000"),
        # SELL that beats SPY (rises more): wrong, negative.
        ("SELL", "100", "104", "500", "510", "-4.000000", "-2.000000"),
        # BUY in a rising market, beating it.
        ("BUY", "100", "103", "500", "510", "3.000000", "1.000000"),
        # BUY in a falling market, falling less than it: a positive score.
        ("BUY", "100", "99", "500", "480", "-1.000000", "3.000000"),
        # BUY trailing a rising market.
        ("BUY", "200", "201", "500", "515", "0.500000", "-2.500000"),
        # Flat everything.
        ("BUY", "187.44", "187.44", "660.10", "660.10", "0.000000", "0.000000"),
    ],
)
def test_returns_follow_the_design_formulas(case: tuple[str, ...]) -> None:
    # Given a pick's and SPY's baseline and close; when scored; then the documented values
    action, pick_start, pick_now, spy_start, spy_now, absolute, versus = case
    result = pick_returns(action, D(pick_start), D(pick_now), D(spy_now), D(spy_start))  # type: ignore[arg-type]
    assert result == (D(absolute), D(versus))
    assert all(value.as_tuple().exponent == -6 for value in result)


def test_buy_and_sell_of_the_same_stock_score_opposite() -> None:
    buy = pick_returns("BUY", D("187.44"), D("190.01"), D("661.20"), D("655.18"))
    sell = pick_returns("SELL", D("187.44"), D("190.01"), D("661.20"), D("655.18"))
    assert sell == (-buy[0], -buy[1])


def test_returns_are_rounded_once_to_six_places_half_even() -> None:
    assert rounded_return(D("0.0000005")) == D("0.000000")
    assert rounded_return(D("0.0000015")) == D("0.000002")
    assert rounded_return(D("-0.0000025")) == D("-0.000002")
    assert rounded_return(D("0.5551751087472227809501582266")) == D("0.555175")


def test_benchmark_return_is_stored_at_scale_six() -> None:
    assert benchmark_return_pct(D("662.50"), D("660.10")) == D("0.363581")
