"""GeneratePicks: the model's three picks, their baseline closes, the batch, in one go.

Idempotent per execution: a retry of the execution that committed the batch gets that
batch back (no second model call); another execution for the same Monday fails fast with
BatchAlreadyExists. Every answer the model gives is kept in `events`, whatever happens next.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any
from uuid import UUID

import psycopg

from alpha_monday.business_metrics import PICKER_REASKS, count
from alpha_monday.db.batches import (
    batch_of_run,
    create_batch,
    get_batch_detail,
    list_batches,
    set_batch_status,
)
from alpha_monday.db.events import append_event, last_picker_answers
from alpha_monday.domain.calendar import last_session_before
from alpha_monday.domain.errors import (
    AlphaMondayError,
    BatchAlreadyExists,
    BatchNotFound,
    BatchNotResumable,
    MarketDataUnknownSymbol,
    PickerCheckInterrupted,
    PickerError,
)
from alpha_monday.domain.model import BatchDetail, BatchSummary, NewBatch, NewPick
from alpha_monday.domain.origin import batch_origin
from alpha_monday.domain.picks import (
    PastBatch,
    PastPick,
    PickerAttempt,
    PickerResult,
    PickRequest,
)
from alpha_monday.domain.schedule import fortnight_schedule, monday_of, requested_run_date
from alpha_monday.observability import logger
from alpha_monday.workflow.dependencies import StepDependencies
from alpha_monday.workflow.models import (
    CheckpointLoop,
    GeneratePicksResult,
    GeneratePicksTask,
    NewRun,
    PickSummary,
    Resume,
    ScheduledCheckpoint,
)

TRACK_RECORD_BATCHES = 8


def resolve_run_date(task: GeneratePicksTask) -> date:
    """A manual run names its Monday; a scheduled one runs for the Monday of its start."""
    if isinstance(task.execution_input, NewRun):
        return requested_run_date(task.execution_input.run_date)
    return monday_of(task.execution_started_at)


def checkpoint_schedule(run_date: date, local_time: time) -> list[ScheduledCheckpoint]:
    """The fortnight's 14 wake-up instants, as the state machine's loop reads them."""
    return [
        ScheduledCheckpoint(
            index=day.index, checkpoint_date=day.checkpoint_date, wake_at=day.wake_at
        )
        for day in fortnight_schedule(run_date, local_time)
    ]


def _past_batch(item: BatchSummary) -> PastBatch:
    """A completed batch's picks with their final return vs the benchmark."""
    metrics = item.latest_checkpoint.metrics if item.latest_checkpoint else ()
    final = {metric.pick_id: metric.vs_benchmark_pct for metric in metrics}
    return PastBatch(
        run_date=item.run_date,
        picks=tuple(
            PastPick(
                ticker=pick.ticker,
                action=pick.action,
                final_vs_benchmark_pct=final.get(pick.id),
            )
            for pick in item.picks
        ),
    )


def _track_record(conn: psycopg.Connection, run_date: date) -> tuple[PastBatch, ...]:
    page = list_batches(conn, limit=TRACK_RECORD_BATCHES, before=run_date)
    return tuple(_past_batch(item) for item in page.items if item.status == "completed")


def _record_answers(
    conn: psycopg.Connection,
    execution_name: str,
    run_date: date,
    attempts: tuple[Any, ...],
    outcome: str,
) -> None:
    """The model's answers, kept before anything else can fail (no silent re-roll)."""
    append_event(
        conn,
        None,
        "picker_answered",
        {
            "execution_name": execution_name,
            "run_date": run_date.isoformat(),
            "outcome": outcome,
            "attempts": [attempt.model_dump(mode="json") for attempt in attempts],
        },
    )


def _earlier_answers(conn: psycopg.Connection, execution_name: str) -> tuple[PickerAttempt, ...]:
    """The answers of this execution's earlier try that stopped while checking them."""
    payload = last_picker_answers(conn, execution_name)
    if payload is None or payload.get("outcome") != PickerCheckInterrupted.__name__:
        return ()
    return tuple(PickerAttempt.model_validate(attempt) for attempt in payload["attempts"])


def _ask_the_picker(
    deps: StepDependencies, execution_name: str, run_date: date, request: PickRequest
) -> PickerResult:
    market = deps.market

    def check_ticker(ticker: str) -> str | None:
        try:
            market.close(ticker, request.baseline_date)
        except MarketDataUnknownSymbol as error:
            return error.reason
        return None

    earlier = _earlier_answers(deps.conn, execution_name)
    try:
        result = deps.picker.pick(
            request.model_copy(update={"earlier_answers": earlier}), check_ticker
        )
    except PickerError as error:
        _record_answers(deps.conn, execution_name, run_date, error.attempts, type(error).__name__)
        if isinstance(error, PickerCheckInterrupted) and isinstance(
            error.__cause__, AlphaMondayError
        ):
            # The market's own error, so the state machine retries it as such; the retry
            # reviews the kept answer again instead of asking the model anew.
            raise error.__cause__ from None
        raise
    _record_answers(deps.conn, execution_name, run_date, result.attempts, "accepted")
    count(PICKER_REASKS, len(result.attempts) - 1)
    return result


def generate_picks(task: GeneratePicksTask, deps: StepDependencies) -> GeneratePicksResult:
    run_date = resolve_run_date(task)
    execution_name = task.context.workflow_run_id
    logger.append_keys(run_date=run_date.isoformat())
    conn = deps.conn
    existing = batch_of_run(conn, run_date)
    if existing is not None:
        batch_id, created_by = existing
        if created_by == execution_name:
            # A retry after the commit (a timeout, a dropped connection): same batch.
            logger.info("batch already created by this execution")
            return _tracking_plan(get_batch_detail(conn, batch_id), deps)
        # Fail fast, before spending a model call, when this Monday is already recorded.
        raise BatchAlreadyExists(f"a batch for run_date {run_date.isoformat()} exists already")
    benchmark = deps.market_settings.benchmark_symbol
    baseline_date = last_session_before(run_date)
    benchmark_close = deps.market.close(benchmark, baseline_date)
    request = PickRequest(
        run_date=run_date,
        baseline_date=baseline_date,
        benchmark_symbol=benchmark,
        track_record=_track_record(conn, run_date),
    )
    result = _ask_the_picker(deps, execution_name, run_date, request)
    tickers = [pick.ticker for pick in result.picks.picks]
    closes = {ticker: deps.market.close(ticker, baseline_date) for ticker in tickers}
    for symbol in [*tickers, benchmark]:
        # Dividends declared for the fortnight are counted from its first day (one shared
        # look-up per symbol and day; a failed one is caught up on by later checkpoints).
        deps.market.look_up(symbol)
    provenance: dict[str, Any] = {
        "model": result.model,
        "prompt_version": result.prompt_version,
        "baseline_date": baseline_date.isoformat(),
        "execution_name": execution_name,
        "attempts": [attempt.model_dump(mode="json") for attempt in result.attempts],
    }
    # The stand-ins say what they are: a batch either of them made is simulated.
    offline = deps.picker.offline or deps.market.source.offline
    detail = create_batch(
        conn,
        NewBatch(
            execution_name=execution_name,
            run_date=run_date,
            benchmark_symbol=benchmark,
            benchmark_initial_price=benchmark_close,
            baseline_date=baseline_date,
            model=result.model,
            origin=batch_origin(offline=offline, committed_at=deps.now(), run_date=run_date),
            prompt_version=result.prompt_version,
            committed_at=deps.now(),
            picks=tuple(
                NewPick(
                    ticker=pick.ticker,
                    action=pick.action,
                    reasoning=pick.reasoning,
                    initial_price=closes[pick.ticker],
                )
                for pick in result.picks.picks
            ),
        ),
        provenance,
    )
    logger.append_keys(batch_id=str(detail.batch.id))
    logger.info("batch created", extra={"tickers": tickers, "attempts": len(result.attempts)})
    return _tracking_plan(detail, deps)


def _tracking_plan(detail: BatchDetail, deps: StepDependencies) -> GeneratePicksResult:
    """What the loop needs: the batch, its picks and the 14 wake-up instants."""
    batch = detail.batch
    schedule = checkpoint_schedule(batch.run_date, deps.market_settings.checkpoint_local_time)
    return GeneratePicksResult(
        batch_id=batch.id,
        run_date=batch.run_date,
        baseline_date=detail.checkpoints[0].checkpoint_date,
        model=batch.model or "unknown",
        benchmark_symbol=batch.benchmark_symbol,
        benchmark_initial_price=batch.benchmark_initial_price,
        picks=[
            PickSummary(ticker=p.ticker, action=p.action, initial_price=p.initial_price)
            for p in detail.picks
        ],
        checkpoint_count=len(schedule),
        schedule=schedule,
        loop=CheckpointLoop(cursor=0, current=schedule[0]),
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
    detail = get_batch_detail(conn, batch_id)
    logger.info("batch resumed")
    return _tracking_plan(detail, deps)


def start_run(task: GeneratePicksTask, deps: StepDependencies) -> GeneratePicksResult:
    """GeneratePicks: a new batch for a Monday, or `{"resume_batch_id": ...}` to resume one."""
    if isinstance(task.execution_input, Resume):
        return resume_batch(
            task.execution_input.resume_batch_id, task.context.workflow_run_id, deps
        )
    return generate_picks(task, deps)
