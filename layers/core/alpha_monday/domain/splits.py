"""Stock splits: a close that jumps by a split-like ratio is a split only once confirmed.

Alpha Vantage's TIME_SERIES_DAILY is unadjusted, so a 2:1 split halves the close overnight.
A confirmed split divides the pick's baseline by its factor from its effective date on; an
unconfirmed jump is never published as a return.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

SPLIT_RATIOS = (2, 3, 4, 5, 10)
# How close a price ratio must be to 1/n (or n) to look like an n:1 (or 1:n) split.
RATIO_TOLERANCE = Decimal("0.04")


@dataclass(frozen=True)
class Split:
    """A split as the provider reports it: shares multiplied by `factor` (0.1 for 1:10)."""

    effective_date: date
    factor: Decimal


def _near(value: Decimal, target: Decimal) -> bool:
    return abs(value / target - 1) <= RATIO_TOLERANCE


def split_factor_seen(previous_close: Decimal, close: Decimal) -> Decimal | None:
    """The split factor a jump from `previous_close` to `close` suggests, or None."""
    ratio = close / previous_close
    for n in SPLIT_RATIOS:
        if _near(ratio, Decimal(1) / n):
            return Decimal(n)
        if _near(ratio, Decimal(n)):
            return Decimal(1) / n
    return None


def nearest_split_factor(reference_close: Decimal, close: Decimal) -> Decimal:
    """The split factor closest to the move (for a jump already seen, as prices drift on)."""
    ratio = close / reference_close
    candidates = [Decimal(n) for n in SPLIT_RATIOS] + [Decimal(1) / n for n in SPLIT_RATIOS]
    return min(candidates, key=lambda factor: abs((ratio * factor).ln()))


def confirming_split(
    splits: Iterable[Split], after: date, through: date, factor: Decimal
) -> Split | None:
    """The reported split effective in (after, through] with (about) the factor seen."""
    for split in splits:
        if after < split.effective_date <= through and _near(split.factor, factor):
            return split
    return None


def adjusted_initial_price(
    initial_price: Decimal, splits: Iterable[Split], through: date
) -> Decimal:
    """The baseline in today's shares: divided by every split effective on or before `through`."""
    adjusted = initial_price
    for split in splits:
        if split.effective_date <= through:
            adjusted /= split.factor
    return adjusted
