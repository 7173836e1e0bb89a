"""$100 following the picks against $100 in SPY: the equity curve and its drawdown.

Fortnights a week apart overlap, so one pot cannot hold them all without counting a week
twice. The $100 is split into two $50 sleeves by the parity of the batch's week, as the
confidence sequence splits the batches (docs/analysis-plan.md): a sleeve holds one
fortnight at a time, equal-weight in its picks (a SELL is a short), and rolls into the next
fortnight of its parity; while it has none it holds cash. The SPY curve does the same with
SPY over the same fortnights. A point is drawn at the end of each completed fortnight, from
the published final returns alone; no costs, no taxes, not a tradeable strategy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from alpha_monday.domain.confidence_sequence import SERIES, half_of
from alpha_monday.domain.metrics import HUNDRED, rounded_return

START = Decimal(100)
_CENTS_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class FortnightResult:
    """A completed batch's final figures: each scored pick's position return and SPY's."""

    run_date: date
    final_date: date
    position_returns: tuple[Decimal, ...]
    benchmark_return: Decimal


@dataclass(frozen=True)
class EquityPoint:
    day: date
    picks_value: Decimal  # $, 4 decimal places
    spy_value: Decimal
    drawdown_pct: Decimal  # the picks' value against its running peak, 6 places, <= 0


def _dollars(value: Decimal) -> Decimal:
    return value.quantize(_CENTS_PLACES, rounding=ROUND_HALF_EVEN)


def equity_curve(fortnights: Sequence[FortnightResult]) -> tuple[EquityPoint, ...]:
    """The curve from $100 each at the first Monday, a point per completed fortnight."""
    ordered = sorted(fortnights, key=lambda f: f.run_date)
    if not ordered:
        return ()
    share = START / SERIES
    picks, spy = [share] * SERIES, [share] * SERIES
    points = [
        EquityPoint(ordered[0].run_date, _dollars(START), _dollars(START), Decimal("0.000000"))
    ]
    peak = START
    for fortnight in ordered:
        sleeve = half_of(fortnight.run_date)
        mean = sum(fortnight.position_returns, Decimal(0)) / len(fortnight.position_returns)
        picks[sleeve] *= 1 + mean / HUNDRED
        spy[sleeve] *= 1 + fortnight.benchmark_return / HUNDRED
        value = sum(picks, Decimal(0))
        peak = max(peak, value)
        points.append(
            EquityPoint(
                fortnight.final_date,
                _dollars(value),
                _dollars(sum(spy, Decimal(0))),
                rounded_return((value / peak - 1) * HUNDRED),
            )
        )
    return tuple(points)
