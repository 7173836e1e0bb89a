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

from alpha_monday.domain import skip_reasons
from alpha_monday.domain.market_data import SessionCloses
from alpha_monday.domain.metrics import benchmark_return_pct, pick_returns
from alpha_monday.domain.model import BatchDetail, Checkpoint, Pick, PickAction, PickSkip
from alpha_monday.domain.splits import (
    Split,
    adjusted_initial_price,
    nearest_split_factor,
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
    left_out: tuple[PickSkip, ...] = ()
    new_splits: tuple[NewSplit, ...] = ()


def _last_scored(detail: BatchDetail, before: date) -> tuple[date, Checkpoint | None]:
    """The last computed day before `before` (its date; None and the baseline date if none)."""
    earlier = [
        c
        for c in detail.checkpoints
        if c.status == "computed" and detail.batch.run_date <= c.checkpoint_date < before
    ]
    if earlier:
        last = max(earlier, key=lambda c: c.checkpoint_date)
        return last.checkpoint_date, last
    baseline = min(c.checkpoint_date for c in detail.checkpoints)
    return baseline, None


def _split_pending(detail: BatchDetail, pick: Pick, after: date, before: date) -> bool:
    """Was the pick left out for an unconfirmed split since its last published close?"""
    return any(
        skip.pick_id == pick.id
        and skip_reasons.reason_kind(skip.reason) == skip_reasons.UNCONFIRMED_SPLIT
        for c in detail.checkpoints
        if after < c.checkpoint_date < before
        for skip in c.skipped_picks
    )


def _pick_splits(
    detail: BatchDetail,
    pick: Pick,
    close: Decimal,
    reference: tuple[date, Decimal],
    day: date,
    *,
    confirm: SplitConfirmer,
) -> tuple[list[Split], NewSplit | None, str | None]:
    """The pick's confirmed splits, the one confirmed today if any, or why it is left out.

    The close is compared with the pick's last published close (or its baseline): a
    split-like jump since then is published only once the provider confirms the split, and
    until then the pick stays out, however the price drifts afterwards.
    """
    known = [Split(a.effective_date, a.split_factor) for a in pick.split_adjustments]
    reference_date, reference_close = reference
    if any(reference_date < split.effective_date <= day for split in known):
        return known, None, None  # confirmed on an earlier run of this day
    factor = split_factor_seen(reference_close, close)
    if factor is None and _split_pending(detail, pick, reference_date, day):
        factor = nearest_split_factor(reference_close, close)
    if factor is None:
        return known, None, None
    split = confirm(pick.ticker, reference_date, day, factor)
    if split is None:
        return (
            known,
            None,
            skip_reasons.unconfirmed_split(pick.ticker, f"{close / reference_close:.4f}"),
        )
    return [*known, split], NewSplit(pick.id, pick.ticker, split), None


def score_day(detail: BatchDetail, session: SessionCloses, confirm: SplitConfirmer) -> DayScore:
    batch = detail.batch
    day = session.trading_date
    benchmark = batch.benchmark_symbol
    if benchmark not in session.closes:
        return DayScore(day, skip_reason=skip_reasons.symbol_unknown(benchmark))
    benchmark_close = session.closes[benchmark]
    reference_date, last = _last_scored(detail, day)
    benchmark_reference = last.benchmark_price if last and last.benchmark_price else None
    benchmark_reference = benchmark_reference or batch.benchmark_initial_price
    if split_factor_seen(benchmark_reference, benchmark_close) is not None:
        # The benchmark's baseline is never adjusted: a split-like jump voids the day.
        ratio = f"{benchmark_close / benchmark_reference:.4f}"
        return DayScore(day, skip_reason=skip_reasons.unconfirmed_split(benchmark, ratio))
    last_closes = {m.pick_id: m.current_price for m in last.metrics} if last else {}
    scores: list[PickScore] = []
    left_out: list[PickSkip] = []
    new_splits: list[NewSplit] = []
    for pick in detail.picks:
        if pick.ticker not in session.closes:
            reason = skip_reasons.symbol_unknown(pick.ticker)
            left_out.append(PickSkip(pick_id=pick.id, ticker=pick.ticker, reason=reason))
            continue
        close = session.closes[pick.ticker]
        reference = (
            (reference_date, last_closes[pick.id])
            if pick.id in last_closes
            else (min(c.checkpoint_date for c in detail.checkpoints), pick.initial_price)
        )
        splits, new_split, problem = _pick_splits(
            detail, pick, close, reference, day, confirm=confirm
        )
        if problem is not None:
            left_out.append(PickSkip(pick_id=pick.id, ticker=pick.ticker, reason=problem))
            continue
        if new_split is not None:
            new_splits.append(new_split)
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
