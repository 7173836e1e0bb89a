"""Checkpoint k: the day's closes and returns, or a skipped day with the reason; then any
earlier day skipped for a provider reason is filled in from the cache (no extra call)."""

from __future__ import annotations

from typing import Any

import psycopg

from alpha_monday.business_metrics import (
    CHECKPOINTS_COMPUTED,
    CHECKPOINTS_SKIPPED_MARKET_CLOSED,
    DAYS_HEALED,
    PICKS_LEFT_OUT,
    SESSIONS_SKIPPED_KEY_REFUSED,
    SESSIONS_SKIPPED_PROVIDER,
    count,
)
from alpha_monday.db.batches import get_batch_detail
from alpha_monday.db.checkpoints import record_checkpoint
from alpha_monday.db.events import append_event
from alpha_monday.domain import skip_reasons
from alpha_monday.domain.calendar import closed_reason
from alpha_monday.domain.errors import CloseMissingRefused
from alpha_monday.domain.market_data import MarketData, SessionCloses
from alpha_monday.domain.model import BatchDetail, CheckpointStatus
from alpha_monday.domain.moves import MoveRule
from alpha_monday.domain.schedule import check_checkpoint_slot
from alpha_monday.domain.scoring import DayScore
from alpha_monday.domain.skip_reasons import is_healable
from alpha_monday.observability import logger
from alpha_monday.workflow.dependencies import StepDependencies
from alpha_monday.workflow.models import (
    CheckpointResult,
    CheckpointTask,
    StepFunctionsError,
)
from alpha_monday.workflow.recording import (
    heal_days,
    left_out_summaries,
    pick_returns_out,
    score_and_store,
    stored_pick_returns,
)


def _result(task: CheckpointTask, status: CheckpointStatus, **day: Any) -> CheckpointResult:
    return CheckpointResult(
        batch_id=task.batch_id,
        checkpoint_index=task.checkpoint_index,
        checkpoint_date=task.checkpoint_date,
        status=status,
        **day,
    )


def _skipped(task: CheckpointTask, reason: str, *, market_open: bool) -> CheckpointResult:
    """A skipped day, told and counted once (a session without returns fires the alarm)."""
    count(SESSIONS_SKIPPED_PROVIDER if market_open else CHECKPOINTS_SKIPPED_MARKET_CLOSED)
    if reason == skip_reasons.PROVIDER_REFUSED_KEY:
        count(SESSIONS_SKIPPED_KEY_REFUSED)
    logger.info("checkpoint skipped", extra={"skip_reason": reason})
    return _result(task, "skipped", skip_reason=reason)


def _skip(
    conn: psycopg.Connection, task: CheckpointTask, detail: BatchDetail, reason: str
) -> CheckpointResult:
    record_checkpoint(conn, detail.batch.id, DayScore(task.checkpoint_date, skip_reason=reason))
    return _skipped(task, reason, market_open=is_healable(reason))


def _record_missing_close(
    conn: psycopg.Connection,
    task: CheckpointTask,
    detail: BatchDetail,
    missing: StepFunctionsError,
    closed: str | None,
) -> CheckpointResult:
    """The retries ran out: the day is skipped with the provider's reason (healable)."""
    day = task.checkpoint_date.isoformat()
    if closed is not None:
        raise CloseMissingRefused(f"{day} has no session: no close can be missing")
    if any(
        c.checkpoint_date == task.checkpoint_date and c.status == "computed"
        for c in detail.checkpoints
    ):
        # A computed day is never downgraded, nor explained away by a stale or forged task.
        raise CloseMissingRefused(f"{day} is computed already: its close is not missing")
    reason = skip_reasons.reason_for_provider_error(missing.error)
    # The reason and the skipped day are stored together or not at all.
    with conn.transaction():
        append_event(
            conn,
            task.batch_id,
            "checkpoint_skipped",
            {
                "checkpoint_date": task.checkpoint_date.isoformat(),
                "reason": reason,
                "error": missing.error,
                "cause": missing.cause,
            },
        )
        return _skip(conn, task, detail, reason)


def _compute(
    conn: psycopg.Connection,
    task: CheckpointTask,
    detail: BatchDetail,
    market: MarketData,
    rule: MoveRule,
) -> tuple[CheckpointResult, SessionCloses]:
    symbols = detail.symbols
    session = market.session_closes(symbols, task.checkpoint_date)
    score, stored = score_and_store(conn, detail, session, market, rule)
    if score.skip_reason is not None and not stored:
        # A rerun that cannot score a computed day: the day stands as it was published.
        return _as_stored(task, detail), session
    if score.skip_reason is not None:
        # The benchmark itself is missing or its move is unexplained: no returns today.
        return _skipped(task, score.skip_reason, market_open=True), session
    picks, left_out = pick_returns_out(score)
    count(CHECKPOINTS_COMPUTED)
    count(PICKS_LEFT_OUT, len(left_out))
    logger.info(
        "checkpoint computed", extra={"benchmark_return_pct": str(score.benchmark_return_pct)}
    )
    result = _result(
        task,
        "computed",
        benchmark_close=score.benchmark_close,
        benchmark_return_pct=score.benchmark_return_pct,
        picks=picks,
        picks_left_out=left_out,
    )
    return result, session


def _as_stored(task: CheckpointTask, detail: BatchDetail) -> CheckpointResult:
    """The computed day as it stands in the database."""
    day = next(c for c in detail.checkpoints if c.checkpoint_date == task.checkpoint_date)
    logger.info("checkpoint kept as computed", extra={"checkpoint_date": day.checkpoint_date})
    return _result(
        task,
        "computed",
        benchmark_close=day.benchmark_price,
        benchmark_return_pct=day.benchmark_return_pct,
        picks=stored_pick_returns(detail, day),
        picks_left_out=left_out_summaries(day.skipped_picks),
    )


def run_checkpoint(task: CheckpointTask, deps: StepDependencies) -> CheckpointResult:
    """Idempotent: running the same checkpoint again rewrites the same values."""
    logger.append_keys(
        batch_id=str(task.batch_id), checkpoint_date=task.checkpoint_date.isoformat()
    )
    conn = deps.conn
    detail = get_batch_detail(conn, task.batch_id)
    check_checkpoint_slot(detail.batch.run_date, task.checkpoint_index, task.checkpoint_date)
    closed = closed_reason(task.checkpoint_date)
    rule = deps.market_settings.move_rule
    later = None
    if task.close_missing is not None:
        result = _record_missing_close(conn, task, detail, task.close_missing, closed)
    elif closed is not None:
        # No session, no market data call.
        result = _skip(conn, task, detail, closed)
    else:
        result, later = _compute(conn, task, detail, deps.market, rule)
    deps.published("day_computed" if result.status == "computed" else "day_skipped", task.batch_id)
    # Today's closes decide the moves held back on earlier days (no close is fetched).
    healed = heal_days(
        conn,
        get_batch_detail(conn, task.batch_id),
        deps.market,
        rule,
        task.checkpoint_date,
        later=later,
        may_fetch=False,
    )
    count(DAYS_HEALED, len(healed))
    if healed:
        deps.published("day_computed", task.batch_id)
    return result.model_copy(update={"healed_dates": healed})
