"""Task inputs and outputs: what the state machine passes between states.

Outputs are what the Step Functions console shows for each state, so they say what the
step did (the batch, the date, what was recorded) in plain fields.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from alpha_monday.domain.model import BatchStatus, CheckpointStatus, PickAction


class TaskModel(BaseModel):
    model_config = ConfigDict(frozen=True)


class TaskInput(TaskModel):
    """What the state machine sends a task: unknown or misspelled keys are refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class StepContext(TaskInput):
    """Who is calling: `$$.Execution.Name`, `$$.State.Name`, `$$.State.RetryCount`."""

    workflow_run_id: str = Field(min_length=1, max_length=80)
    step_name: str = Field(min_length=1, max_length=80)
    retry_count: int = Field(ge=0)


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

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="forbid")

    error: str = Field(alias="Error", min_length=1)
    cause: str = Field(default="", alias="Cause")


class NewRun(TaskInput):
    """A manual start for a Monday: `{"run_date": "YYYY-MM-DD"}`."""

    run_date: str


class Resume(TaskInput):
    """A manual start that tracks a failed batch again: `{"resume_batch_id": "<uuid>"}`."""

    resume_batch_id: UUID


class ScheduledStart(TaskInput):
    """The schedule starts an execution with `{}`: the Monday of its start time."""


def _run_input_kind(value: Any) -> str | None:
    if not isinstance(value, dict):
        return None
    if "resume_batch_id" in value:
        return "resume"
    if "run_date" in value:
        return "new_run"
    return "scheduled"


RunInput = Annotated[
    Annotated[NewRun, Tag("new_run")]
    | Annotated[Resume, Tag("resume")]
    | Annotated[ScheduledStart, Tag("scheduled")],
    Discriminator(_run_input_kind),
]


class PlanRunTask(TaskInput):
    """PlanRun's input: the execution's own input, its start time and who is calling."""

    execution_input: RunInput
    execution_started_at: datetime
    context: StepContext


class RunPlan(TaskModel):
    """A new week to pick for: its Monday, the baseline session, the contenders to ask."""

    run_date: date
    baseline_date: date
    contenders: list[str] = Field(min_length=1)


class AskContenderTask(TaskInput):
    """One contender to ask (an iteration of the AskContenders Map)."""

    contender: str = Field(min_length=1)
    run_date: date
    baseline_date: date
    # `$$.Execution.Name`, given by the Map (an iteration's own context lacks it locally).
    execution_name: str = Field(min_length=1, max_length=80)
    context: StepContext


class ContenderAnswered(TaskModel):
    """What the console shows for a contender that answered (its picks are in `events`)."""

    contender: str
    answered: Literal[True] = True
    model: str
    tickers: list[str]


class ContenderOutcome(TaskInput):
    """An AskContenders result: answered, or failed after its retries (the Catch's Pass
    state gives the error's name and cause)."""

    contender: str = Field(min_length=1)
    answered: bool
    model: str | None = None
    tickers: list[str] | None = None
    error: str | None = None
    cause: str | None = None

    @model_validator(mode="after")
    def _a_failure_names_its_error(self) -> ContenderOutcome:
        if not self.answered and not self.error:
            raise ValueError(f"{self.contender} did not answer, but no error is named")
        return self


class GeneratePicksTask(TaskInput):
    """GeneratePicks' input: the plan and every contender's outcome, in order."""

    run_date: date
    baseline_date: date
    answers: list[ContenderOutcome] = Field(min_length=1)
    context: StepContext


class PickSummary(TaskModel):
    contender: str
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


class CheckpointTask(TaskInput):
    context: StepContext | None = None
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


class CompleteBatchTask(TaskInput):
    context: StepContext | None = None
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


class FailedRunState(TaskModel):
    """The execution's state when a Catch fired: the error, and the batch once one exists.

    It is the whole state of the run (loop, schedule, picks...): other keys are ignored.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    error: StepFunctionsError
    batch_id: UUID | None = None
    run_date: str | None = Field(default=None, description="as the run was asked for")


class MarkBatchFailedTask(TaskInput):
    context: StepContext | None = None
    state: FailedRunState

    @property
    def batch_id(self) -> UUID | None:
        return self.state.batch_id

    @property
    def error(self) -> StepFunctionsError:
        return self.state.error


FailureOutcome = Literal[
    "batch_marked_failed",
    "batch_already_finished",
    "batch_tracked_by_another_execution",
    "no_batch_recorded",
]


class MarkBatchFailedResult(TaskModel):
    batch_id: UUID | None
    outcome: FailureOutcome
    error: str
    cause: str


class ExecutionStatusChange(BaseModel):
    """The `detail` of EventBridge's "Step Functions Execution Status Change" event."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    execution_arn: str = Field(alias="executionArn")
    state_machine_arn: str = Field(alias="stateMachineArn")
    name: str = Field(min_length=1)
    status: Literal["FAILED", "TIMED_OUT", "ABORTED"]
    cause: str | None = None


class ExecutionEnded(BaseModel):
    """The EventBridge event the sweeper receives (only the fields it reads are checked)."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    source: Literal["aws.states"]
    detail_type: Literal["Step Functions Execution Status Change"] = Field(alias="detail-type")
    detail: ExecutionStatusChange


class SweepResult(TaskModel):
    execution_name: str
    batch_id: UUID | None
    # "no_batch": the execution made no batch, so there is nothing to unstick (no event).
    outcome: FailureOutcome | Literal["no_batch"]
