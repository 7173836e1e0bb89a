"""The returns of docs/scoring.md, in exact decimal arithmetic, rounded once.

A BUY is the call "this stock will beat the benchmark", a SELL the call "it will trail it":
the position taken in the benchmark is subtracted in both directions, so a SELL scores
positive exactly when the stock does worse than the benchmark, whatever the market did.

Each return is computed from the prices exactly (28 significant digits) and rounded once,
at the end, to 6 decimal places half-even: the stored value is the published value.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from typing import Literal

HUNDRED = Decimal(100)
RETURN_SCALE = 6
_QUANTUM = Decimal(1).scaleb(-RETURN_SCALE)
DIRECTION: dict[Literal["BUY", "SELL"], int] = {"BUY": 1, "SELL": -1}


def rounded_return(value: Decimal) -> Decimal:
    """A percentage at the published scale: 6 decimal places, half-even."""
    return value.quantize(_QUANTUM, rounding=ROUND_HALF_EVEN)


def total_return_pct(
    initial_price: Decimal,
    close: Decimal,
    *,
    split_factor: Decimal = Decimal(1),
    dividends: Decimal = Decimal(0),
) -> Decimal:
    """The total return since the baseline, in percent (unrounded):
    (close + dividends - initial') / initial' x 100, with initial' = initial / split_factor.

    `split_factor` is the product of the splits effective since the baseline and
    `dividends` the cash paid per share since then, in today's shares.
    """
    adjusted_initial = initial_price / split_factor
    return (close + dividends - adjusted_initial) / adjusted_initial * HUNDRED


def pick_returns(
    action: Literal["BUY", "SELL"], r_pick: Decimal, r_benchmark: Decimal
) -> tuple[Decimal, Decimal]:
    """(absolute_return_pct, vs_benchmark_pct) of one pick, both rounded for storage.

    absolute = direction x r_pick (the position's own return: a short for SELL);
    vs       = direction x (r_pick - r_benchmark).
    """
    direction = DIRECTION[action]
    return rounded_return(direction * r_pick), rounded_return(direction * (r_pick - r_benchmark))
