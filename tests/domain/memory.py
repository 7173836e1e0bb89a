"""A batch as plain domain values, for the rules' tests: no database, no clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid5

from alpha_monday.domain.market_data import SessionCloses
from alpha_monday.domain.model import (
    Batch,
    BatchDetail,
    Checkpoint,
    Pick,
    PickAction,
    PickMetric,
    PickSkip,
    SplitAdjustment,
)
from alpha_monday.domain.scoring import DayScore, score_day
from alpha_monday.domain.splits import Split

RUN_DATE = date(2026, 6, 1)
BASELINE = date(2026, 5, 29)
NAMESPACE = UUID("5f4b1c2e-0000-4000-8000-000000000000")


def uid(name: str) -> UUID:
    return uuid5(NAMESPACE, name)


def pick(
    ticker: str, action: PickAction, initial: str, splits: tuple[tuple[date, str], ...] = ()
) -> Pick:
    return Pick(
        id=uid(ticker),
        batch_id=uid("batch"),
        ticker=ticker,
        action=action,
        reasoning=f"{ticker}: a pick for the rules' tests",
        initial_price=Decimal(initial),
        split_adjustments=tuple(
            SplitAdjustment(effective_date=day, split_factor=Decimal(f)) for day, f in splits
        ),
    )


def baseline(spy: str) -> Checkpoint:
    return Checkpoint(
        id=uid("baseline"),
        batch_id=uid("batch"),
        checkpoint_date=BASELINE,
        status="computed",
        benchmark_price=Decimal(spy),
        benchmark_return_pct=None,
        skip_reason=None,
    )


def computed(day: date, spy: str, closes: dict[Pick, str], skipped: dict[Pick, str]) -> Checkpoint:
    return Checkpoint(
        id=uid(f"day-{day}"),
        batch_id=uid("batch"),
        checkpoint_date=day,
        status="computed",
        benchmark_price=Decimal(spy),
        benchmark_return_pct=Decimal(0),
        skip_reason=None,
        metrics=tuple(
            PickMetric(
                pick_id=p.id,
                ticker=p.ticker,
                current_price=Decimal(close),
                absolute_return_pct=Decimal(0),
                vs_benchmark_pct=Decimal(0),
            )
            for p, close in closes.items()
        ),
        skipped_picks=tuple(
            PickSkip(pick_id=p.id, ticker=p.ticker, reason=reason) for p, reason in skipped.items()
        ),
    )


def skipped(day: date, reason: str) -> Checkpoint:
    return Checkpoint(
        id=uid(f"day-{day}"),
        batch_id=uid("batch"),
        checkpoint_date=day,
        status="skipped",
        benchmark_price=None,
        benchmark_return_pct=None,
        skip_reason=reason,
    )


def batch(picks: tuple[Pick, ...], spy: str, *days: Checkpoint) -> BatchDetail:
    return BatchDetail(
        batch=Batch(
            id=uid("batch"),
            created_at=datetime(2026, 6, 1, 12, tzinfo=UTC),
            run_date=RUN_DATE,
            benchmark_symbol="SPY",
            benchmark_initial_price=Decimal(spy),
            status="active",
            model="test-model",
            origin="simulated",
            prompt_version="test",
        ),
        picks=picks,
        checkpoints=(baseline(spy), *days),
    )


class SplitHistory:
    """The provider's split history as a confirmer sees it, counting the look-ups."""

    def __init__(self, *splits: tuple[str, date, str]) -> None:
        self.splits = {(t, d): Decimal(f) for t, d, f in splits}
        self.asked: list[str] = []

    def __call__(self, ticker: str, after: date, through: date, factor: Decimal) -> Split | None:
        self.asked.append(ticker)
        for (symbol, day), reported in self.splits.items():
            if symbol == ticker and after < day <= through and abs(reported / factor - 1) < 0.04:
                return Split(day, reported)
        return None


def score(
    detail: BatchDetail, day: date, closes: dict[str, str], confirm: SplitHistory | None = None
) -> DayScore:
    session = SessionCloses(
        trading_date=day, closes={symbol: Decimal(c) for symbol, c in closes.items()}
    )
    return score_day(detail, session, confirm or SplitHistory())


def day(n: int) -> date:
    """The fortnight's n-th calendar day (1 = the run date)."""
    return RUN_DATE + timedelta(days=n - 1)
