"""Pick stability: the mean share of the committed picks the extra answers repeated."""

from __future__ import annotations

from decimal import Decimal

from alpha_monday.domain.stability import pick_stability

COMMITTED = [("AAPL", "BUY"), ("MSFT", "SELL"), ("NVDA", "BUY")]


def test_the_overlaps_are_means_over_the_answers_by_ticker_and_by_call() -> None:
    # Given two extra answers: the same tickers with one action flipped, and one ticker kept
    others = [
        [("AAPL", "BUY"), ("MSFT", "BUY"), ("NVDA", "BUY")],
        [("AAPL", "SELL"), ("KO", "BUY"), ("V", "SELL")],
    ]
    stability = pick_stability(COMMITTED, others)
    # Then tickers overlap (3/3 + 1/3) / 2 and calls (2/3 + 0/3) / 2, at 6 places
    assert (stability.asks, stability.answered) == (2, 2)
    assert stability.ticker_overlap == Decimal("0.666667")
    assert stability.call_overlap == Decimal("0.333333")


def test_an_ask_without_an_acceptable_answer_counts_as_asked_not_as_answered() -> None:
    stability = pick_stability(COMMITTED, [None, COMMITTED])
    assert (stability.asks, stability.answered) == (2, 1)
    assert stability.ticker_overlap == stability.call_overlap == Decimal("1.000000")
    nothing = pick_stability(COMMITTED, [None])
    assert (nothing.answered, nothing.ticker_overlap, nothing.call_overlap) == (0, None, None)
