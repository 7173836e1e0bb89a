"""A session day of a batch, scored: each pick's returns, or why a pick (or the day) has none.

Plain rules over loaded values: the workflow step loads the batch and the closes, calls
`score_day`, and stores what it returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from alpha_monday.db.models import BatchDetail, Pick, PickAction
from alpha_monday.domain import skip_reasons
from alpha_monday.domain.market_data import SessionCloses
from alpha_monday.domain.metrics import benchmark_return_pct, pick_returns
from alpha_monday.domain.splits import (
    Split,
    adjusted_initial_price,
    confirming_split,
    split_factor_seen,
)

# Asks the provider whether `ticker` split in (after, through] by about `factor`.
SplitConfirmer = Callable[[str, date, date, Decimal], Split | None]


@dataclass(frozen=True)
class PickScore:
    pick_id: UUID
    ticker: str
    action: PickAction
    close: Decimal
    absolute_return_pct: Decimal
    vs_benchmark_pct: Decimal


@dataclass(frozen=True)
class PickLeftOut:
    pick_id: UUID
    ticker: str
    reason: str


@dataclass(frozen=True)
class NewSplit:
    pick_id: UUID
    ticker: str
    split: Split


@dataclass(frozen=True)
class DayScore:
    """A computed day (`skip_reason` None) or a day skipped for the benchmark's sake."""

    trading_date: date
    skip_reason: str | None = None
    benchmark_close: Decimal | None = None
    benchmark_return_pct: Decimal | None = None
    scores: tuple[PickScore, ...] = ()
    left_out: tuple[PickLeftOut, ...] = ()
    new_splits: tuple[NewSplit, ...] = ()


def _jump(session: SessionCloses, symbol: str) -> tuple[date, Decimal, Decimal] | None:
    """(previous date, split factor suggested, price ratio) when the close jumped like a split."""
    if symbol not in session.previous:
        return None
    previous_date, previous_close = session.previous[symbol]
    factor = split_factor_seen(previous_close, session.closes[symbol])
    if factor is None:
        return None
    return previous_date, factor, session.closes[symbol] / previous_close


def _pick_splits(
    pick: Pick, session: SessionCloses, confirm: SplitConfirmer
) -> tuple[list[Split], NewSplit | None, str | None]:
    """The pick's confirmed splits, the one confirmed today if any, or why it is left out."""
    known = [Split(a.effective_date, a.split_factor) for a in pick.split_adjustments]
    jump = _jump(session, pick.ticker)
    if jump is None:
        return known, None, None
    previous_date, factor, ratio = jump
    day = session.trading_date
    split = confirming_split(known, previous_date, day, factor) or confirm(
        pick.ticker, previous_date, day, factor
    )
    if split is None:
        return known, None, skip_reasons.unconfirmed_split(pick.ticker, f"{ratio:.4f}")
    if split in known:
        return known, None, None
    return [*known, split], NewSplit(pick.id, pick.ticker, split), None


def score_day(detail: BatchDetail, session: SessionCloses, confirm: SplitConfirmer) -> DayScore:
    batch = detail.batch
    day = session.trading_date
    benchmark = batch.benchmark_symbol
    if benchmark not in session.closes:
        return DayScore(day, skip_reason=skip_reasons.symbol_unknown(benchmark))
    benchmark_jump = _jump(session, benchmark)
    if benchmark_jump is not None:
        # The benchmark's baseline is never adjusted: a split-like jump voids the day.
        return DayScore(
            day, skip_reason=skip_reasons.unconfirmed_split(benchmark, f"{benchmark_jump[2]:.4f}")
        )
    benchmark_close = session.closes[benchmark]
    scores: list[PickScore] = []
    left_out: list[PickLeftOut] = []
    new_splits: list[NewSplit] = []
    for pick in detail.picks:
        if pick.ticker not in session.closes:
            left_out.append(
                PickLeftOut(pick.id, pick.ticker, skip_reasons.symbol_unknown(pick.ticker))
            )
            continue
        splits, new_split, problem = _pick_splits(pick, session, confirm)
        if problem is not None:
            left_out.append(PickLeftOut(pick.id, pick.ticker, problem))
            continue
        if new_split is not None:
            new_splits.append(new_split)
        close = session.closes[pick.ticker]
        absolute, versus = pick_returns(
            pick.action,
            adjusted_initial_price(pick.initial_price, splits, day),
            close,
            benchmark_close,
            batch.benchmark_initial_price,
        )
        scores.append(PickScore(pick.id, pick.ticker, pick.action, close, absolute, versus))
    return DayScore(
        day,
        benchmark_close=benchmark_close,
        benchmark_return_pct=benchmark_return_pct(benchmark_close, batch.benchmark_initial_price),
        scores=tuple(scores),
        left_out=tuple(left_out),
        new_splits=tuple(new_splits),
    )
