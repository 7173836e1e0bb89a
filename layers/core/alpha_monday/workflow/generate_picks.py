"""GeneratePicks: the model's three picks, their baseline closes, the batch, in one go."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any
from uuid import UUID

from alpha_monday.db.batches import (
    batch_id_for_run_date,
    create_batch,
    get_batch_detail,
    list_batches,
    set_batch_status,
)
from alpha_monday.db.connection import get_connection
from alpha_monday.db.events import append_event
from alpha_monday.db.models import BatchDetail, BatchSummary, NewBatch, NewPick
from alpha_monday.db.translate import translated_database_errors
from alpha_monday.domain.calendar import (
    last_session_before,
    market_date,
    parse_iso_date,
)
from alpha_monday.domain.picks import PastBatch, PastPick, PickRequest
from alpha_monday.domain.schedule import fortnight_schedule
from alpha_monday.errors import (
    BatchAlreadyExists,
    BatchNotFound,
    BatchNotResumable,
    InvalidRunDate,
    MarketDataUnknownSymbol,
)
from alpha_monday.observability import logger
from alpha_monday.workflow.dependencies import dependencies
from alpha_monday.workflow.models import (
    CheckpointLoop,
    GeneratePicksResult,
    GeneratePicksTask,
    PickSummary,
    ScheduledCheckpoint,
)

TRACK_RECORD_BATCHES = 8
MONDAY = 0


def resolve_run_date(task: GeneratePicksTask) -> date:
    """A manual run names its Monday; a scheduled one runs for the Monday of its start."""
    requested = task.execution_input.get("run_date")
    if requested is None:
        started = market_date(task.execution_started_at)
        return started - timedelta(days=started.weekday())
    try:
        run_date = parse_iso_date(str(requested)) if isinstance(requested, str) else None
    except ValueError:
        run_date = None
    if run_date is None:
        raise InvalidRunDate(f"run_date must be a real date as YYYY-MM-DD, got {requested!r}")
    if run_date.weekday() != MONDAY:
        raise InvalidRunDate(
            f"run_date {run_date.isoformat()} is a {run_date.strftime('%A')}; it must be a Monday"
        )
    return run_date


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
        run_date=item.batch.run_date,
        picks=tuple(
            PastPick(
                ticker=pick.ticker,
                action=pick.action,
                final_vs_benchmark_pct=final.get(pick.id),
            )
            for pick in item.picks
        ),
    )


def _track_record(run_date: date) -> tuple[PastBatch, ...]:
    page = list_batches(get_connection(), limit=TRACK_RECORD_BATCHES, before=run_date)
    return tuple(_past_batch(item) for item in page.items if item.batch.status == "completed")


def generate_picks(task: GeneratePicksTask) -> GeneratePicksResult:
    run_date = resolve_run_date(task)
    logger.append_keys(run_date=run_date.isoformat())
    deps = dependencies()
    benchmark = deps.settings.benchmark_symbol
    with translated_database_errors():
        # Fail fast, before spending a model call, when this Monday is already recorded.
        if batch_id_for_run_date(get_connection(), run_date) is not None:
            raise BatchAlreadyExists(f"a batch for run_date {run_date.isoformat()} exists already")
        baseline_date = last_session_before(run_date)
        benchmark_close = deps.market.close(benchmark, baseline_date)

        def check_ticker(ticker: str) -> str | None:
            try:
                deps.market.close(ticker, baseline_date)
            except MarketDataUnknownSymbol as error:
                return error.reason
            return None

        request = PickRequest(
            run_date=run_date,
            baseline_date=baseline_date,
            benchmark_symbol=benchmark,
            track_record=_track_record(run_date),
        )
        result = deps.picker.pick(request, check_ticker)
        tickers = [pick.ticker for pick in result.picks.picks]
        closes = {ticker: deps.market.close(ticker, baseline_date) for ticker in tickers}
        provenance: dict[str, Any] = {
            "model": result.model,
            "prompt_version": result.prompt_version,
            "baseline_date": baseline_date.isoformat(),
            "attempts": [attempt.model_dump(mode="json") for attempt in result.attempts],
        }
        detail = create_batch(
            get_connection(),
            NewBatch(
                run_date=run_date,
                benchmark_symbol=benchmark,
                benchmark_initial_price=benchmark_close,
                baseline_date=baseline_date,
                model=result.model,
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
    return _tracking_plan(detail)


def _tracking_plan(detail: BatchDetail) -> GeneratePicksResult:
    """What the loop needs: the batch, its picks and the 14 wake-up instants."""
    batch = detail.batch
    schedule = checkpoint_schedule(batch.run_date, dependencies().settings.checkpoint_local_time)
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


def resume_batch(batch_id: UUID) -> GeneratePicksResult:
    """Track an existing batch again (after a failure): no new picks, the same fortnight.

    A failed batch becomes active again; checkpoints already recorded are rewritten with
    the same values (they are idempotent), the missing ones are filled in.
    """
    logger.append_keys(batch_id=str(batch_id))
    with translated_database_errors():
        conn = get_connection()
        try:
            detail = get_batch_detail(conn, batch_id)
        except BatchNotFound:
            raise BatchNotResumable(f"there is no batch {batch_id} to resume") from None
        if detail.batch.status == "completed":
            raise BatchNotResumable(f"batch {batch_id} is completed; there is nothing to resume")
        with conn.transaction():
            if set_batch_status(conn, batch_id, "active", from_status="failed"):
                append_event(conn, batch_id, "batch_resumed", {"previous_status": "failed"})
        detail = get_batch_detail(conn, batch_id)
    logger.info("batch resumed")
    return _tracking_plan(detail)


def start_run(task: GeneratePicksTask) -> GeneratePicksResult:
    """GeneratePicks: a new batch for a Monday, or `{"resume_batch_id": ...}` to resume one."""
    resume = task.execution_input.get("resume_batch_id")
    if resume is None:
        return generate_picks(task)
    try:
        batch_id = UUID(str(resume))
    except ValueError:
        raise BatchNotResumable(f"resume_batch_id {resume!r} is not a batch id") from None
    return resume_batch(batch_id)
