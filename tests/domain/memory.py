"""A batch as plain domain values, for the rules' tests: no database, no clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid5

from alpha_monday.domain.corporate_actions import CorporateAction, CorporateActions
from alpha_monday.domain.market_data import SessionCloses
from alpha_monday.domain.model import (
    Batch,
    BatchDetail,
    Checkpoint,
    Entry,
    Pick,
    PickAction,
    PickMetric,
    PickSkip,
)
from alpha_monday.domain.moves import MoveRule
from alpha_monday.domain.scoring import DayScore, score_day

RUN_DATE = date(2026, 6, 1)
BASELINE = date(2026, 5, 29)
NAMESPACE = UUID("5f4b1c2e-0000-4000-8000-000000000000")


def uid(name: str) -> UUID:
    return uuid5(NAMESPACE, name)


def pick(ticker: str, action: PickAction, initial: str) -> Pick:
    return Pick(
        id=uid(ticker),
        batch_id=uid("batch"),
        entry_id=uid("entry"),
        ticker=ticker,
        action=action,
        reasoning=f"{ticker}: a pick for the rules' tests",
        initial_price=Decimal(initial),
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


def computed(
    day: date,
    spy: str,
    closes: dict[Pick, str],
    skipped: dict[Pick, str],
    held: dict[Pick, str] | None = None,
) -> Checkpoint:
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
            PickSkip(
                pick_id=p.id,
                ticker=p.ticker,
                reason=reason,
                held_close=Decimal((held or {})[p]) if p in (held or {}) else None,
            )
            for p, reason in skipped.items()
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
        entries=(
            Entry(
                id=uid("entry"),
                batch_id=uid("batch"),
                position=0,
                contender="test-model",
                kind="model",
                model="test-model",
                prompt_version="test",
            ),
        ),
        picks=picks,
        checkpoints=(baseline(spy), *days),
    )


class ActionHistory:
    """The provider's corporate actions as a book: what is known at first (`known`) and what
    a look-up finds (`reported`); counts the look-ups."""

    def __init__(
        self,
        *reported: tuple[str, str, date, str],
        known: tuple[tuple[str, str, date, str], ...] = (),
    ) -> None:
        self.reported = [CorporateAction(s, k, d, Decimal(v)) for s, k, d, v in reported]  # type: ignore[arg-type]
        self.cached = [CorporateAction(s, k, d, Decimal(v)) for s, k, d, v in known]  # type: ignore[arg-type]
        self.asked: list[str] = []

    def known(self, symbol: str) -> CorporateActions:
        return CorporateActions.of(a for a in self.cached if a.symbol == symbol)

    def look_up(self, symbol: str) -> CorporateActions:
        self.asked.append(symbol)
        self.cached.extend(a for a in self.reported if a.symbol == symbol)
        return self.known(symbol)


def session(day: date, closes: dict[str, str]) -> SessionCloses:
    return SessionCloses(
        trading_date=day, closes={symbol: Decimal(c) for symbol, c in closes.items()}
    )


def score(
    detail: BatchDetail,
    day: date,
    closes: dict[str, str],
    book: ActionHistory | None = None,
    *,
    later: tuple[date, dict[str, str]] | None = None,
    rule: MoveRule | None = None,
) -> DayScore:
    return score_day(
        detail,
        session(day, closes),
        book or ActionHistory(),
        rule or MoveRule(),
        later=session(*later) if later else None,
    )


def day(n: int) -> date:
    """The fortnight's n-th calendar day (1 = the run date)."""
    return RUN_DATE + timedelta(days=n - 1)
