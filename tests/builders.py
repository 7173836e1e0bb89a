"""Test data built through the application's own repository functions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import psycopg

from alpha_monday.db.batches import set_batch_status
from alpha_monday.db.checkpoints import record_checkpoint
from alpha_monday.db.new_batch import create_batch
from alpha_monday.domain.model import (
    CONTROL_CONTENDER,
    BatchDetail,
    BatchOrigin,
    BatchStatus,
    ControlDraw,
    NewBatch,
    NewEntry,
    NewPick,
    PickAction,
)
from alpha_monday.domain.scoring import DayScore, PickScore

FIRST_MONDAY = date(2026, 1, 5)


def new_batch(
    run_date: date = FIRST_MONDAY,
    picks: tuple[tuple[str, PickAction, str], ...] = (
        ("AAPL", "BUY", "100.00"),
        ("MSFT", "SELL", "200.00"),
        ("NVDA", "BUY", "50.00"),
    ),
    benchmark_initial_price: str = "400.00",
    origin: BatchOrigin = "live",
    model: str = "test-model",
) -> NewBatch:
    return NewBatch(
        run_date=run_date,
        benchmark_symbol="SPY",
        benchmark_initial_price=Decimal(benchmark_initial_price),
        baseline_date=run_date - timedelta(days=3),
        origin=origin,
        # Committed at 08:00 New York on the Monday, before the open.
        committed_at=datetime.combine(run_date, time(12, 0), tzinfo=UTC),
        entries=(
            NewEntry(
                contender=model,
                kind="model",
                model=model,
                prompt_version="test-prompt-1",
                picks=new_picks(picks),
            ),
        ),
    )


def new_arena_batch(run_date: date = FIRST_MONDAY) -> NewBatch:
    """A model that answered (AAPL twice in the batch), one that failed, and the control."""
    one_model = new_batch(run_date)
    (model,) = one_model.entries
    failed = NewEntry(
        contender="beta", kind="model", model="model-b", prompt_version="test-prompt-1",
        error="PickerRefused: no",
    )  # fmt: skip
    control = NewEntry(
        contender=CONTROL_CONTENDER,
        kind="control",
        model=None,
        control=ControlDraw(
            seed="0123456789abcdef",
            universe="a test list",
            universe_as_of=date(2026, 3, 9),
            redrawn=("ZZZZ",),
        ),
        picks=new_picks((("AAPL", "SELL", "100.00"), ("KO", "BUY", "60.00"))),
    )
    return one_model.model_copy(update={"entries": (model, failed, control)})


def new_picks(picks: tuple[tuple[str, PickAction, str], ...]) -> tuple[NewPick, ...]:
    return tuple(
        NewPick(
            ticker=ticker,
            action=action,
            reasoning=f"{ticker} looks {action.lower()}-worthy",
            initial_price=Decimal(price),
        )
        for ticker, action, price in picks
    )


def computed_checkpoint(
    detail: BatchDetail,
    checkpoint_date: date,
    pick_return: str = "1.500000",
    scores: Sequence[str] | None = None,
) -> DayScore:
    """SPY +1 %; each pick returns `pick_return`, or scores its own of `scores` vs SPY."""
    benchmark = Decimal("1.000000")
    returns = [Decimal(s) + benchmark for s in scores] if scores else [Decimal(pick_return)] * 3
    return DayScore(
        checkpoint_date,
        benchmark_close=Decimal("404.00"),
        benchmark_return_pct=benchmark,
        scores=tuple(
            PickScore(
                pick_id=pick.id,
                ticker=pick.ticker,
                action=pick.action,
                close=pick.initial_price * Decimal("1.015"),
                absolute_return_pct=absolute,
                vs_benchmark_pct=absolute - benchmark,
            )
            for pick, absolute in zip(detail.picks, returns, strict=True)
        ),
    )


def skipped_checkpoint(checkpoint_date: date, reason: str = "weekend") -> DayScore:
    return DayScore(checkpoint_date, skip_reason=reason)


def seed_batches(
    conn: psycopg.Connection,
    count: int,
    *,
    checkpoints_each: int = 2,
    status: BatchStatus = "active",
) -> list[BatchDetail]:
    """`count` batches on consecutive Mondays, oldest first, each with a few checkpoints."""
    seeded = []
    for week in range(count):
        detail = create_batch(conn, new_batch(FIRST_MONDAY + timedelta(weeks=week)))
        for day in range(checkpoints_each):
            record_checkpoint(
                conn,
                detail.batch.id,
                computed_checkpoint(detail, detail.batch.run_date + timedelta(days=day)),
            )
        if status != "active":
            set_batch_status(conn, detail.batch.id, status, from_status="active")
        seeded.append(detail)
    return seeded
