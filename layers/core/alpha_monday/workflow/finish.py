"""The end of a run: CompleteBatch after the last checkpoint, MarkBatchFailed on any failure."""

from __future__ import annotations

from datetime import date, timedelta

import psycopg

from alpha_monday.business_metrics import DAYS_HEALED, count
from alpha_monday.db.batches import batch_id_for_execution, get_batch_detail, set_batch_status
from alpha_monday.domain.errors import BatchIncomplete, MarketDataKeyRefused
from alpha_monday.domain.model import BatchDetail
from alpha_monday.domain.schedule import (
    CHECKPOINT_COUNT,
    final_checkpoint,
    missing_days,
)
from alpha_monday.domain.skip_reasons import days_held_by_a_refused_key
from alpha_monday.observability import logger
from alpha_monday.workflow.dependencies import StepDependencies
from alpha_monday.workflow.failures import BATCH_MARKED_FAILED, record_run_failure
from alpha_monday.workflow.models import (
    CompleteBatchResult,
    CompleteBatchTask,
    MarkBatchFailedResult,
    MarkBatchFailedTask,
)
from alpha_monday.workflow.recording import heal_days, rescore_days, stored_pick_returns


def complete_batch(task: CompleteBatchTask, deps: StepDependencies) -> CompleteBatchResult:
    """Heal what can be healed, refuse an incomplete fortnight, mark the batch completed
    (again: a no-op) and report its final returns."""
    logger.append_keys(batch_id=str(task.batch_id))
    conn = deps.conn
    detail = get_batch_detail(conn, task.batch_id)
    healed: list[date] = []
    if detail.batch.status == "active":
        healed = _audit_and_heal(conn, detail, deps)
        detail = get_batch_detail(conn, task.batch_id)
        count(DAYS_HEALED, len(healed))
        if healed:
            deps.published("day_computed", task.batch_id)
    _refuse_unless_complete(detail)
    if set_batch_status(conn, task.batch_id, "completed", from_status="active"):
        deps.published("completed", task.batch_id)
        logger.info("batch completed")
    detail = get_batch_detail(conn, task.batch_id)
    tracked = [c for c in detail.checkpoints if c.checkpoint_date >= detail.batch.run_date]
    computed = [c for c in tracked if c.status == "computed"]
    final = final_checkpoint(detail.checkpoints, detail.batch.run_date)
    return CompleteBatchResult(
        batch_id=detail.batch.id,
        run_date=detail.batch.run_date,
        status=detail.batch.status,
        healed_dates=healed,
        checkpoints_computed=len(computed),
        checkpoints_skipped=len(tracked) - len(computed),
        final_checkpoint_date=final.checkpoint_date if final else None,
        benchmark_return_pct=final.benchmark_return_pct if final else None,
        picks=stored_pick_returns(detail, final) if final else [],
    )


def _audit_and_heal(
    conn: psycopg.Connection, detail: BatchDetail, deps: StepDependencies
) -> list[date]:
    """The completion audit: each symbol's corporate actions looked up once more, every
    stored day rescored with them (an event keeps what changed), then the days a fetch can
    still fill in healed. Held moves are decided by the fortnight's last computed session."""
    market, rule = deps.market, deps.market_settings.move_rule
    symbols = detail.symbols
    for symbol in symbols:
        market.look_up(symbol)
    run_date = detail.batch.run_date
    computed = sorted(
        c.checkpoint_date
        for c in detail.checkpoints
        if c.status == "computed" and c.checkpoint_date >= run_date
    )
    later = market.cached_session_closes(symbols, computed[-1]) if computed else None
    # The look-ups changed the shared cache, not the batch: `detail` still stands.
    rescore_days(conn, detail, market, rule, computed, later=later, because="completion audit")
    return heal_days(
        conn,
        get_batch_detail(conn, detail.batch.id),
        market,
        rule,
        run_date + timedelta(days=CHECKPOINT_COUNT),
        later=later,
        may_fetch=True,
    )


def _refuse_unless_complete(detail: BatchDetail) -> None:
    run_date = detail.batch.run_date
    if not any(c.checkpoint_date < run_date for c in detail.checkpoints):
        raise BatchIncomplete(f"batch {detail.batch.id} has no baseline checkpoint")
    missing = missing_days(run_date, (c.checkpoint_date for c in detail.checkpoints))
    if missing:
        raise BatchIncomplete(
            f"batch {detail.batch.id} lacks {len(missing)} of its {CHECKPOINT_COUNT} days "
            f"(first missing: {missing[0].isoformat()}); it stays active"
        )
    held = days_held_by_a_refused_key(detail.checkpoints)
    if held:
        # Never completed with days a fixed key would fill in: the batch fails, and a
        # resume once the key is fixed heals them.
        raise MarketDataKeyRefused(
            detail.batch.benchmark_symbol,
            f"the provider refused the API key for {len(held)} session(s) of batch "
            f"{detail.batch.id} (first: {held[0].isoformat()}); fix the key, then resume it",
        )


def mark_batch_failed(task: MarkBatchFailedTask, deps: StepDependencies) -> MarkBatchFailedResult:
    """Record the error and fail the run's batch, if one was created and is still active.

    The batch is the one in the state, or else the one this execution created (a timeout
    right after the commit leaves no batch_id in the state).
    """
    error = task.error
    execution_name = task.context.workflow_run_id if task.context else None
    conn = deps.conn
    batch_id = task.batch_id
    if batch_id is None and execution_name is not None:
        batch_id = batch_id_for_execution(conn, execution_name)
    outcome = record_run_failure(
        conn,
        batch_id,
        {
            "error": error.error,
            "cause": error.cause,
            "run_date": task.state.run_date,
            "execution_name": execution_name,
        },
        execution_name=execution_name,
    )
    if outcome == BATCH_MARKED_FAILED and batch_id is not None:
        deps.published("status_changed", batch_id)
    logger.error(
        "weekly run failed",
        extra={"batch_id": str(batch_id) if batch_id else None, "error": error.error},
    )
    return MarkBatchFailedResult(
        batch_id=batch_id, outcome=outcome, error=error.error, cause=error.cause
    )
