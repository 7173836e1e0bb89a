"""Task inputs and outputs: what the state machine passes between states.

Outputs are what the Step Functions console shows for each state, so they say what the
step did (the batch, the date, what was recorded) in plain fields.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from alpha_monday.db.models import BatchStatus, CheckpointStatus, PickAction


class TaskModel(BaseModel):
    model_config = ConfigDict(frozen=True)


class ScheduledCheckpoint(TaskModel):
    index: int = Field(ge=1)
    checkpoint_date: date
    wake_at: datetime = Field(description="UTC instant the Wait state sleeps until")


class CheckpointLoop(TaskModel):
    """The loop's counter (0-based) and the checkpoint it points at."""

    cursor: int = Field(ge=0)
    current: ScheduledCheckpoint


class StepFunctionsError(TaskModel):
    """What a Catch puts at its ResultPath."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    error: str = Field(alias="Error")
    cause: str = Field(default="", alias="Cause")


class GeneratePicksTask(TaskModel):
    execution_input: dict[str, Any] = Field(default_factory=dict)
    execution_started_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


class PickSummary(TaskModel):
    ticker: str
    action: PickAction
    initial_price: Decimal


class GeneratePicksResult(TaskModel):
    batch_id: UUID
    run_date: date
    baseline_date: date
    model: str
    benchmark_symbol: str
    benchmark_initial_price: Decimal
    picks: list[PickSummary]
    checkpoint_count: int
    schedule: list[ScheduledCheckpoint]
    loop: CheckpointLoop


class CheckpointTask(TaskModel):
    batch_id: UUID
    checkpoint_index: int = Field(ge=1)
    checkpoint_date: date
    # Set when the retries ran out waiting for the close: record the day as skipped.
    close_missing: StepFunctionsError | None = None


class PickReturn(TaskModel):
    ticker: str
    action: PickAction
    close: Decimal
    absolute_return_pct: Decimal
    vs_benchmark_pct: Decimal


class PickLeftOutSummary(TaskModel):
    ticker: str
    reason: str


class CheckpointResult(TaskModel):
    batch_id: UUID
    checkpoint_index: int
    checkpoint_date: date
    status: CheckpointStatus
    skip_reason: str | None = None
    benchmark_close: Decimal | None = None
    benchmark_return_pct: Decimal | None = None
    picks: list[PickReturn] = Field(default_factory=list)
    picks_left_out: list[PickLeftOutSummary] = Field(default_factory=list)
    healed_dates: list[date] = Field(
        default_factory=list, description="earlier days skipped for a provider reason, filled in"
    )


class CompleteBatchTask(TaskModel):
    batch_id: UUID


class CompleteBatchResult(TaskModel):
    batch_id: UUID
    run_date: date
    status: BatchStatus
    healed_dates: list[date] = Field(default_factory=list)
    checkpoints_computed: int
    checkpoints_skipped: int
    final_checkpoint_date: date | None
    benchmark_return_pct: Decimal | None
    picks: list[PickReturn]


class MarkBatchFailedTask(TaskModel):
    """The whole state at the failure: it holds `error`, and `batch_id` once a batch exists."""

    state: dict[str, Any]

    @property
    def batch_id(self) -> UUID | None:
        value = self.state.get("batch_id")
        return UUID(str(value)) if value else None

    @property
    def error(self) -> StepFunctionsError:
        raw = self.state.get("error") or {"Error": "Unknown", "Cause": "no error was recorded"}
        return StepFunctionsError.model_validate(raw)


class MarkBatchFailedResult(TaskModel):
    batch_id: UUID | None
    outcome: Literal["batch_marked_failed", "batch_already_finished", "no_batch_recorded"]
    error: str
    cause: str
