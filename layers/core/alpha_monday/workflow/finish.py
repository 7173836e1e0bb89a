"""The end of a run: CompleteBatch after the last checkpoint, MarkBatchFailed on any failure."""

from __future__ import annotations

from alpha_monday.db.batches import get_batch_detail, set_batch_status
from alpha_monday.db.connection import get_connection
from alpha_monday.db.events import append_event
from alpha_monday.db.translate import translated_database_errors
from alpha_monday.observability import logger
from alpha_monday.workflow.models import (
    CompleteBatchResult,
    CompleteBatchTask,
    MarkBatchFailedResult,
    MarkBatchFailedTask,
    PickReturn,
)


def complete_batch(task: CompleteBatchTask) -> CompleteBatchResult:
    """Mark the batch completed (again: a no-op) and report its final returns."""
    logger.append_keys(batch_id=str(task.batch_id))
    with translated_database_errors():
        conn = get_connection()
        if set_batch_status(conn, task.batch_id, "completed", from_status="active"):
            logger.info("batch completed")
        detail = get_batch_detail(conn, task.batch_id)
    tracked = [c for c in detail.checkpoints if c.checkpoint_date >= detail.batch.run_date]
    computed = [c for c in tracked if c.status == "computed"]
    final = computed[-1] if computed else None
    tickers_actions = {pick.id: pick.action for pick in detail.picks}
    return CompleteBatchResult(
        batch_id=detail.batch.id,
        run_date=detail.batch.run_date,
        status=detail.batch.status,
        checkpoints_computed=len(computed),
        checkpoints_skipped=len(tracked) - len(computed),
        final_checkpoint_date=final.checkpoint_date if final else None,
        benchmark_return_pct=final.benchmark_return_pct if final else None,
        picks=[
            PickReturn(
                ticker=metric.ticker,
                action=tickers_actions[metric.pick_id],
                close=metric.current_price,
                absolute_return_pct=metric.absolute_return_pct,
                vs_benchmark_pct=metric.vs_benchmark_pct,
            )
            for metric in (final.metrics if final else ())
        ],
    )


def mark_batch_failed(task: MarkBatchFailedTask) -> MarkBatchFailedResult:
    """Record the error in events and fail the batch, if one was created and is active."""
    error = task.error
    batch_id = task.batch_id
    with translated_database_errors():
        conn = get_connection()
        # The error and the status change are recorded together or not at all.
        with conn.transaction():
            append_event(
                conn,
                batch_id,
                "batch_failed" if batch_id else "run_failed",
                {
                    "error": error.error,
                    "cause": error.cause,
                    "run_date": task.state.get("run_date"),
                },
            )
            if batch_id is None:
                outcome = "no_batch_recorded"
            elif set_batch_status(conn, batch_id, "failed", from_status="active"):
                outcome = "batch_marked_failed"
            else:
                outcome = "batch_already_finished"
    logger.error(
        "weekly run failed",
        extra={"batch_id": str(batch_id) if batch_id else None, "error": error.error},
    )
    return MarkBatchFailedResult(
        batch_id=batch_id, outcome=outcome, error=error.error, cause=error.cause
    )
