"""The returns of docs/scoring.md on a table of cases: BUY and SELL, up and down markets."""

from __future__ import annotations

from decimal import Decimal

import pytest

from alpha_monday.domain.metrics import pick_returns, rounded_return, total_return_pct

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
    r_pick = total_return_pct(D(pick_start), D(pick_now))
    r_spy = total_return_pct(D(spy_start), D(spy_now))
    result = pick_returns(action, r_pick, r_spy)  # type: ignore[arg-type]
    assert result == (D(absolute), D(versus))
    assert all(value.as_tuple().exponent == -6 for value in result)


def test_buy_and_sell_of_the_same_stock_score_opposite() -> None:
    r_pick = total_return_pct(D("187.44"), D("190.01"))
    r_spy = total_return_pct(D("655.18"), D("661.20"))
    buy, sell = pick_returns("BUY", r_pick, r_spy), pick_returns("SELL", r_pick, r_spy)
    assert sell == (-buy[0], -buy[1])


def test_returns_are_rounded_once_to_six_places_half_even() -> None:
    assert rounded_return(D("0.0000005")) == D("0.000000")
    assert rounded_return(D("0.0000015")) == D("0.000002")
    assert rounded_return(D("-0.0000025")) == D("-0.000002")
    assert rounded_return(D("0.5551751087472227809501582266")) == D("0.555175")


def test_benchmark_return_is_stored_at_scale_six() -> None:
    assert rounded_return(total_return_pct(D("660.10"), D("662.50"))) == D("0.363581")


def test_a_total_return_adds_the_dividends_to_a_split_adjusted_baseline() -> None:
    # (100 + 0.50 - 200/2) / (200/2) = +0.5 %
    r = total_return_pct(D("200"), D("100"), split_factor=D(2), dividends=D("0.50"))
    assert r == D("0.5")
