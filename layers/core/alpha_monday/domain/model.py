"""Rows as typed values. Prices and returns are exact `Decimal`s, never floats."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

BatchStatus = Literal["active", "completed", "failed"]
# live: committed by the real providers before the run_date's open; retrospective: later
# (the model may know the outcome); simulated: made by the offline stand-ins.
BatchOrigin = Literal["live", "retrospective", "simulated"]
BATCH_ORIGINS: tuple[BatchOrigin, ...] = ("live", "retrospective", "simulated")
PickAction = Literal["BUY", "SELL"]
CheckpointStatus = Literal["computed", "skipped"]


class Row(BaseModel):
    # Built on first use: a read function validates a few of these models, the workflow
    # others; building all of them would lengthen every cold start.
    model_config = ConfigDict(frozen=True, defer_build=True)


class Batch(Row):
    id: UUID
    created_at: datetime
    run_date: date
    benchmark_symbol: str
    benchmark_initial_price: Decimal
    status: BatchStatus
    model: str | None
    origin: BatchOrigin
    prompt_version: str | None
    # The SHA-256 of what was committed (docs/commitment.md); None before migration 0017.
    commitment_sha256: str | None = None
    committed_at: datetime | None = None


class AppliedAction(Row):
    """A split or dividend a batch counts for one of its symbols (a pick's or the benchmark's),
    from the first day it was counted on (docs/scoring.md)."""

    symbol: str
    kind: Literal["split", "dividend"]
    action_date: date
    value: Decimal
    first_counted_on: date


class Pick(Row):
    id: UUID
    batch_id: UUID
    ticker: str
    action: PickAction
    reasoning: str
    initial_price: Decimal


class PickSkip(Row):
    """A pick without returns on a computed day, and why; a close held back as an
    unexplained move keeps that close, for the next sessions to decide on."""

    pick_id: UUID
    ticker: str
    reason: str
    held_close: Decimal | None = None


class PickMetric(Row):
    pick_id: UUID
    ticker: str
    current_price: Decimal
    absolute_return_pct: Decimal
    vs_benchmark_pct: Decimal


class Checkpoint(Row):
    id: UUID
    batch_id: UUID
    checkpoint_date: date
    status: CheckpointStatus
    benchmark_price: Decimal | None
    benchmark_return_pct: Decimal | None
    skip_reason: str | None
    metrics: tuple[PickMetric, ...] = ()
    skipped_picks: tuple[PickSkip, ...] = ()
    # Why a published day's values were changed later, if they were (events keep old/new).
    rescored_because: str | None = None


class BatchDetail(Row):
    batch: Batch
    picks: tuple[Pick, ...]
    checkpoints: tuple[Checkpoint, ...]
    corporate_actions: tuple[AppliedAction, ...] = ()

    @property
    def symbols(self) -> list[str]:
        """The picks' tickers, then the benchmark: every symbol a day of the batch needs."""
        return [pick.ticker for pick in self.picks] + [self.batch.benchmark_symbol]


class PickBrief(Row):
    """A pick as a list shows it."""

    id: UUID
    ticker: str
    action: PickAction


class LatestReturns(Row):
    """A batch's most recent computed day after the baseline, with each scored pick."""

    checkpoint_date: date
    benchmark_return_pct: Decimal
    metrics: tuple[PickMetric, ...]


class BatchSummary(Batch):
    """What a list view needs: the batch, its picks and its most recent computed returns."""

    picks: tuple[PickBrief, ...]
    latest_checkpoint: LatestReturns | None


class Week(Row):
    """One batch in detail, with the weeks on either side of it (for paging both ways)."""

    detail: BatchDetail
    previous_run_date: date | None
    next_run_date: date | None


class FeedWeek(Row):
    """A week as the feed announces it: its summary (latest returns) and its picks in full
    (the reasoning is part of what was committed)."""

    summary: BatchSummary
    picks: tuple[Pick, ...]


class BatchPage(Row):
    items: tuple[BatchSummary, ...]
    next_run_date_before: date | None = Field(
        description="run_date to continue from (exclusive), or None on the last page"
    )


class NewPick(Row):
    ticker: str
    action: PickAction
    reasoning: str
    initial_price: Decimal


class NewBatch(Row):
    execution_name: str | None = None
    run_date: date
    benchmark_symbol: str
    benchmark_initial_price: Decimal
    baseline_date: date
    model: str | None
    origin: BatchOrigin
    prompt_version: str | None = None
    committed_at: datetime
    picks: tuple[NewPick, ...]


class Event(Row):
    id: UUID
    created_at: datetime
    batch_id: UUID | None
    event_type: str
    payload: dict[str, Any]


class ScoredPick(Row):
    """A pick of a completed batch and its score at its last computed checkpoint (None when
    it was never scored, e.g. its symbol was lost before the first checkpoint)."""

    batch_id: UUID
    run_date: date
    model: str | None
    prompt_version: str | None
    ticker: str
    action: PickAction
    vs_benchmark_pct: Decimal | None
    # The same checkpoint's position return and SPY's, and its date (for the equity curve).
    absolute_return_pct: Decimal | None = None
    benchmark_return_pct: Decimal | None = None
    final_date: date | None = None
