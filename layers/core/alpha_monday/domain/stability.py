"""Pick stability: would the model pick the same again? Its extra answers of the same
Monday against the committed picks (never tracked, never scored)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from alpha_monday.domain.model import PickStability

SHARE_PLACES = Decimal("0.000001")
Call = tuple[str, str]  # (ticker, action)


def _mean(shares: Sequence[Fraction]) -> Decimal:
    """The exact mean of exact shares, rounded once (half-even, 6 places)."""
    mean = sum(shares, Fraction(0)) / len(shares)
    return (Decimal(mean.numerator) / Decimal(mean.denominator)).quantize(
        SHARE_PLACES, rounding=ROUND_HALF_EVEN
    )


def pick_stability(
    committed: Sequence[Call], others: Sequence[Sequence[Call] | None]
) -> PickStability:
    """`others`: each extra ask's calls, or None when it gave no acceptable answer. The
    overlaps are the mean, over the answers, of the share of the committed picks repeated:
    by ticker, and by ticker with the same action (exact, rounded once)."""
    tickers = {ticker for ticker, _ in committed}
    calls = set(committed)
    answers = [other for other in others if other is not None]
    return PickStability(
        asks=len(others),
        answered=len(answers),
        ticker_overlap=_mean(
            [Fraction(len(tickers & {t for t, _ in a}), len(tickers)) for a in answers]
        )
        if answers
        else None,
        call_overlap=_mean([Fraction(len(calls & set(a)), len(calls)) for a in answers])
        if answers
        else None,
    )
