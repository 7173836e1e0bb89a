"""PlanRun: which Monday, whether it may run, and who is asked; or a batch to track again.

It refuses at once a Monday another execution has recorded (before any model is asked),
and proves the market data works (the benchmark's baseline close, a refused key failing
here, by name). A retry of the execution that already committed its batch, and a resume
of a failed batch, go straight to the checkpoint loop.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from alpha_monday.db.batches import batch_of_run, get_batch_detail, set_batch_status
from alpha_monday.db.events import append_event
from alpha_monday.domain.calendar import last_session_before
from alpha_monday.domain.errors import BatchAlreadyExists, BatchNotFound, BatchNotResumable
from alpha_monday.domain.schedule import monday_of, requested_run_date
from alpha_monday.observability import logger
from alpha_monday.workflow.dependencies import StepDependencies
from alpha_monday.workflow.models import (
    GeneratePicksResult,
    NewRun,
    PlanRunTask,
    Resume,
    RunPlan,
)
from alpha_monday.workflow.tracking_plan import tracking_plan


def resolve_run_date(task: PlanRunTask) -> date:
    """A manual run names its Monday; a scheduled one runs for the Monday of its start."""
    if isinstance(task.execution_input, NewRun):
        return requested_run_date(task.execution_input.run_date)
    return monday_of(task.execution_started_at)


def plan_week(task: PlanRunTask, deps: StepDependencies) -> RunPlan | GeneratePicksResult:
    run_date = resolve_run_date(task)
    execution_name = task.context.workflow_run_id
    logger.append_keys(run_date=run_date.isoformat())
    existing = batch_of_run(deps.conn, run_date)
    if existing is not None:
        batch_id, created_by = existing
        if created_by == execution_name:
            # A retry after the commit (a timeout, a dropped connection): same batch.
            logger.info("batch already created by this execution")
            return tracking_plan(get_batch_detail(deps.conn, batch_id), deps)
        # Fail fast, before spending a model call, when this Monday is already recorded.
        raise BatchAlreadyExists(f"a batch for run_date {run_date.isoformat()} exists already")
    baseline_date = last_session_before(run_date)
    # The market works (and its key is accepted) before any model is asked; the close is
    # cached for GeneratePicks.
    deps.market.close(deps.market_settings.benchmark_symbol, baseline_date)
    return RunPlan(
        run_date=run_date,
        baseline_date=baseline_date,
        contenders=[contender.name for contender in deps.arena.contenders],
    )


def resume_batch(
    batch_id: UUID, execution_name: str, deps: StepDependencies
) -> GeneratePicksResult:
    """Track an existing batch again (after a failure): no new picks, the same fortnight.

    A failed batch becomes active again; checkpoints already recorded are rewritten with
    the same values (they are idempotent), the missing ones are filled in.
    """
    logger.append_keys(batch_id=str(batch_id))
    conn = deps.conn
    try:
        detail = get_batch_detail(conn, batch_id)
    except BatchNotFound:
        raise BatchNotResumable(f"there is no batch {batch_id} to resume") from None
    if detail.batch.status != "failed":
        # Completed: nothing to do; active: another execution tracks it.
        raise BatchNotResumable(
            f"batch {batch_id} is {detail.batch.status}; only a failed batch can be resumed"
        )
    with conn.transaction():
        # Conditional: of two concurrent resumes exactly one moves the batch.
        if not set_batch_status(conn, batch_id, "active", from_status="failed"):
            raise BatchNotResumable(f"batch {batch_id} was resumed by another execution")
        append_event(
            conn,
            batch_id,
            "batch_resumed",
            {"previous_status": "failed", "execution_name": execution_name},
        )
    deps.published("status_changed", batch_id)
    detail = get_batch_detail(conn, batch_id)
    logger.info("batch resumed")
    return tracking_plan(detail, deps)


def plan_run(task: PlanRunTask, deps: StepDependencies) -> RunPlan | GeneratePicksResult:
    """PlanRun: a new week for a Monday, or `{"resume_batch_id": ...}` to resume one."""
    if isinstance(task.execution_input, Resume):
        return resume_batch(
            task.execution_input.resume_batch_id, task.context.workflow_run_id, deps
        )
    return plan_week(task, deps)
