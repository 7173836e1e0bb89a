"""The returns of DESIGN.md section 3, in exact decimal arithmetic, stored unrounded."""

from __future__ import annotations

from decimal import Decimal

from alpha_monday.db.models import PickAction

HUNDRED = Decimal(100)


def benchmark_return_pct(benchmark_close: Decimal, benchmark_initial_price: Decimal) -> Decimal:
    return (benchmark_close - benchmark_initial_price) / benchmark_initial_price * HUNDRED


def absolute_return_pct(action: PickAction, initial_price: Decimal, close: Decimal) -> Decimal:
    """A BUY gains when the price rises; a SELL (a short) gains when it falls."""
    if action == "BUY":
        return (close - initial_price) / initial_price * HUNDRED
    return (initial_price - close) / initial_price * HUNDRED


def vs_benchmark_pct(absolute_return: Decimal, benchmark_return: Decimal) -> Decimal:
    return absolute_return - benchmark_return
