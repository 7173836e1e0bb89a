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
# A contender of the arena: a model (and its prompt version), or the random control.
EntryKind = Literal["model", "control"]
# The random control's contender name (no model contender may take it).
CONTROL_CONTENDER = "random-control"


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


class ControlDraw(Row):
    """How a random control entry was drawn, so that anyone can draw it again
    (docs/arena.md): the seed, the universe and its list's as-of date, and the tickers the
    market did not know (passed over, in draw order)."""

    seed: str
    universe: str
    universe_as_of: date
    redrawn: tuple[str, ...] = ()


class PickStability(Row):
    """A model asked again on its Monday (answers kept, never tracked): how many times, how
    many answered, and the mean share of the committed picks they repeated, by ticker and by
    ticker with its action (docs/arena.md)."""

    asks: int
    answered: int
    ticker_overlap: Decimal | None
    call_overlap: Decimal | None


class Entry(Row):
    """One contender's part of a batch: its picks, or why it has none."""

    id: UUID
    batch_id: UUID
    position: int
    contender: str
    kind: EntryKind
    # The model that answered (the API's name for it) and its prompt version.
    model: str | None
    prompt_version: str | None
    error: str | None = None
    control: ControlDraw | None = None
    stability: PickStability | None = None


class Pick(Row):
    id: UUID
    batch_id: UUID
    entry_id: UUID
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
    entries: tuple[Entry, ...]
    picks: tuple[Pick, ...]
    checkpoints: tuple[Checkpoint, ...]
    corporate_actions: tuple[AppliedAction, ...] = ()

    @property
    def symbols(self) -> list[str]:
        """The picks' tickers (each once: two contenders may pick the same stock), then the
        benchmark: every symbol a day of the batch needs."""
        return [*dict.fromkeys(pick.ticker for pick in self.picks), self.batch.benchmark_symbol]


class PickBrief(Row):
    """A pick as a list shows it."""

    id: UUID
    entry_id: UUID
    ticker: str
    action: PickAction


class LatestReturns(Row):
    """A batch's most recent computed day after the baseline, with each scored pick."""

    checkpoint_date: date
    benchmark_return_pct: Decimal
    metrics: tuple[PickMetric, ...]


class BatchSummary(Batch):
    """What a list view needs: the batch, its entries, its picks and its most recent
    computed returns."""

    entries: tuple[Entry, ...]
    picks: tuple[PickBrief, ...]
    latest_checkpoint: LatestReturns | None


class Week(Row):
    """One batch in detail, with the weeks on either side of it (for paging both ways)."""

    detail: BatchDetail
    previous_run_date: date | None
    next_run_date: date | None


class FeedWeek(Row):
    """A week as the feed announces it: its summary (entries, latest returns) and its picks
    in full (the reasoning is part of what was committed)."""

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


class NewEntry(Row):
    contender: str
    kind: EntryKind
    model: str | None
    prompt_version: str | None = None
    error: str | None = None
    control: ControlDraw | None = None
    stability: PickStability | None = None
    picks: tuple[NewPick, ...] = ()


class NewBatch(Row):
    execution_name: str | None = None
    run_date: date
    benchmark_symbol: str
    benchmark_initial_price: Decimal
    baseline_date: date
    origin: BatchOrigin
    committed_at: datetime
    # In the contenders' configured order; the first model entry with picks is the batch's
    # own model (its `model` and `prompt_version`).
    entries: tuple[NewEntry, ...] = Field(min_length=1)

    @property
    def lead(self) -> NewEntry | None:
        """The first model entry that answered: what a one-model reader sees as the batch."""
        return next((e for e in self.entries if e.kind == "model" and e.picks), None)


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
    contender: str
    kind: EntryKind
    model: str | None
    prompt_version: str | None
    ticker: str
    action: PickAction
    vs_benchmark_pct: Decimal | None
    # The same checkpoint's position return and SPY's, and its date (for the equity curve).
    absolute_return_pct: Decimal | None = None
    benchmark_return_pct: Decimal | None = None
    final_date: date | None = None
