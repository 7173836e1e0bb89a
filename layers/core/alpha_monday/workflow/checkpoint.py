"""Checkpoint k: the day's closes and returns, or a skipped day with the reason."""

from __future__ import annotations

import psycopg

from alpha_monday.db.batches import get_batch_detail
from alpha_monday.db.checkpoints import record_checkpoint
from alpha_monday.db.connection import get_connection
from alpha_monday.db.events import append_event
from alpha_monday.db.models import BatchDetail, CheckpointRecord, NewPickMetric
from alpha_monday.db.translate import translated_database_errors
from alpha_monday.domain.calendar import closed_reason
from alpha_monday.domain.metrics import absolute_return_pct, benchmark_return_pct, vs_benchmark_pct
from alpha_monday.observability import logger
from alpha_monday.workflow.dependencies import dependencies
from alpha_monday.workflow.models import CheckpointResult, CheckpointTask, PickReturn


def _skip(conn: psycopg.Connection, task: CheckpointTask, reason: str) -> CheckpointResult:
    record_checkpoint(
        conn,
        CheckpointRecord(
            batch_id=task.batch_id,
            checkpoint_date=task.checkpoint_date,
            status="skipped",
            skip_reason=reason,
        ),
    )
    logger.info("checkpoint skipped", extra={"skip_reason": reason})
    return CheckpointResult(
        batch_id=task.batch_id,
        checkpoint_index=task.checkpoint_index,
        checkpoint_date=task.checkpoint_date,
        status="skipped",
        skip_reason=reason,
    )


def _compute(
    conn: psycopg.Connection, task: CheckpointTask, detail: BatchDetail
) -> CheckpointResult:
    batch = detail.batch
    closes = dependencies().market.closes(
        [*(pick.ticker for pick in detail.picks), batch.benchmark_symbol], task.checkpoint_date
    )
    benchmark_return = benchmark_return_pct(
        closes[batch.benchmark_symbol], batch.benchmark_initial_price
    )
    returns = []
    metrics = []
    for pick in detail.picks:
        absolute = absolute_return_pct(pick.action, pick.initial_price, closes[pick.ticker])
        versus = vs_benchmark_pct(absolute, benchmark_return)
        metrics.append(
            NewPickMetric(
                pick_id=pick.id,
                current_price=closes[pick.ticker],
                absolute_return_pct=absolute,
                vs_benchmark_pct=versus,
            )
        )
        returns.append(
            PickReturn(
                ticker=pick.ticker,
                action=pick.action,
                close=closes[pick.ticker],
                absolute_return_pct=absolute,
                vs_benchmark_pct=versus,
            )
        )
    record_checkpoint(
        conn,
        CheckpointRecord(
            batch_id=batch.id,
            checkpoint_date=task.checkpoint_date,
            status="computed",
            benchmark_price=closes[batch.benchmark_symbol],
            benchmark_return_pct=benchmark_return,
            metrics=tuple(metrics),
        ),
    )
    logger.info("checkpoint computed", extra={"benchmark_return_pct": str(benchmark_return)})
    return CheckpointResult(
        batch_id=batch.id,
        checkpoint_index=task.checkpoint_index,
        checkpoint_date=task.checkpoint_date,
        status="computed",
        benchmark_close=closes[batch.benchmark_symbol],
        benchmark_return_pct=benchmark_return,
        picks=returns,
    )


def run_checkpoint(task: CheckpointTask) -> CheckpointResult:
    """Idempotent: running the same checkpoint again rewrites the same values."""
    logger.append_keys(
        batch_id=str(task.batch_id), checkpoint_date=task.checkpoint_date.isoformat()
    )
    with translated_database_errors():
        conn = get_connection()
        if task.close_missing is not None:
            reason = f"close never published ({task.close_missing.error})"
            # The reason and the skipped day are stored together or not at all.
            with conn.transaction():
                append_event(
                    conn,
                    task.batch_id,
                    "checkpoint_skipped",
                    {
                        "checkpoint_date": task.checkpoint_date.isoformat(),
                        "reason": reason,
                        "error": task.close_missing.error,
                        "cause": task.close_missing.cause,
                    },
                )
                return _skip(conn, task, reason)
        closed = closed_reason(task.checkpoint_date)
        if closed is not None:
            # No session, no market data call.
            return _skip(conn, task, closed)
        return _compute(conn, task, get_batch_detail(conn, task.batch_id))
