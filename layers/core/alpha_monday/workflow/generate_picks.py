"""GeneratePicks: every contender's picks, the random control, their baseline closes and
the batch, committed in one transaction.

Each model contender is asked on its own (workflow/asking.py); one that fails after its
retries is recorded in the batch without picks, and with no model answering the run fails.
Idempotent per execution: a retry of the execution that committed the batch gets that
batch back (no second model call); another execution for the same Monday fails fast with
BatchAlreadyExists. Every answer a model gives is kept in `events`, whatever happens next.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any
from uuid import UUID

import psycopg

from alpha_monday.db.batches import (
    batch_of_run,
    create_batch,
    get_batch_detail,
    list_batches,
    set_batch_status,
)
from alpha_monday.db.events import append_event
from alpha_monday.domain.calendar import last_session_before
from alpha_monday.domain.control import draw_control, mix_of
from alpha_monday.domain.errors import (
    BatchAlreadyExists,
    BatchNotFound,
    BatchNotResumable,
    MarketDataUnknownSymbol,
    NoContenderAnswered,
)
from alpha_monday.domain.model import (
    CONTROL_CONTENDER,
    BatchDetail,
    BatchSummary,
    NewBatch,
    NewEntry,
    NewPick,
)
from alpha_monday.domain.origin import batch_origin
from alpha_monday.domain.picks import PastBatch, PastPick, PickerResult, PickRequest
from alpha_monday.domain.schedule import fortnight_schedule, monday_of, requested_run_date
from alpha_monday.integrations.universe import sp500_universe
from alpha_monday.observability import logger
from alpha_monday.workflow.asking import ContenderAnswer, ask_contender
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


def _past_batch(item: BatchSummary, contender: str, first: bool) -> PastBatch:
    """A completed batch's picks by `contender` with their final return vs the benchmark.
    The first configured contender also carries on the one-model batches stored before the
    arena (one model entry: the batch's model)."""
    metrics = item.latest_checkpoint.metrics if item.latest_checkpoint else ()
    final = {metric.pick_id: metric.vs_benchmark_pct for metric in metrics}
    models = [e for e in item.entries if e.kind == "model"]
    own = {
        e.id
        for e in item.entries
        if e.contender == contender or (first and len(models) == 1 and e in models)
    }
    return PastBatch(
        run_date=item.run_date,
        picks=tuple(
            PastPick(
                ticker=pick.ticker,
                action=pick.action,
                final_vs_benchmark_pct=final.get(pick.id),
            )
            for pick in item.picks
            if pick.entry_id in own
        ),
    )


def _track_record(
    conn: psycopg.Connection, run_date: date, contender: str, *, first: bool
) -> tuple[PastBatch, ...]:
    page = list_batches(conn, limit=TRACK_RECORD_BATCHES, before=run_date)
    past = (
        _past_batch(item, contender, first) for item in page.items if item.status == "completed"
    )
    return tuple(batch for batch in past if batch.picks)


def _ask_every_contender(
    task: GeneratePicksTask, deps: StepDependencies, request: PickRequest
) -> list[ContenderAnswer]:
    """Each model contender on its own, in the configured order."""
    contenders = deps.picker_settings.contenders
    answers = []
    for position, contender in enumerate(contenders):
        logger.append_keys(contender=contender.name)
        own = request.model_copy(
            update={
                "track_record": _track_record(
                    deps.conn, request.run_date, contender.name, first=position == 0
                )
            }
        )
        answers.append(
            ask_contender(
                deps,
                task.context.workflow_run_id,
                task.context.retry_count,
                own,
                contender,
                alone=len(contenders) == 1,
            )
        )
    logger.remove_keys(["contender"])
    if not any(answer.result for answer in answers):
        raise NoContenderAnswered(
            "no model contender answered: "
            + "; ".join(f"{a.contender.name}: {a.error}" for a in answers)
        )
    return answers


def _model_entry(answer: ContenderAnswer, closes: dict[str, Decimal]) -> NewEntry:
    contender, result = answer.contender, answer.result
    if result is None:
        return NewEntry(
            contender=contender.name,
            kind="model",
            model=contender.model,
            prompt_version=contender.prompt_version,
            error=answer.error,
        )
    return NewEntry(
        contender=contender.name,
        kind="model",
        model=result.model,
        prompt_version=result.prompt_version,
        picks=tuple(
            NewPick(
                ticker=pick.ticker,
                action=pick.action,
                reasoning=pick.reasoning,
                initial_price=closes[pick.ticker],
            )
            for pick in result.picks.picks
        ),
    )


def _control_entry(
    deps: StepDependencies, run_date: date, lead: PickerResult, closes: dict[str, Decimal]
) -> NewEntry:
    """The random control, drawn beside the first model entry that answered (its number of
    picks and BUY/SELL mix); its baseline closes join `closes`."""
    baseline_date = last_session_before(run_date)

    def known(ticker: str) -> bool:
        try:
            closes[ticker] = deps.market.close(ticker, baseline_date)
        except MarketDataUnknownSymbol:
            return False
        return True

    drawn = draw_control(
        run_date,
        sp500_universe(),
        mix_of([pick.action for pick in lead.picks.picks]),
        benchmark=deps.market_settings.benchmark_symbol,
        known=known,
    )
    return NewEntry(
        contender=CONTROL_CONTENDER,
        kind="control",
        model=None,
        error=drawn.error,
        control=drawn.draw,
        picks=drawn.new_picks(closes.__getitem__),
    )


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
        run_date=run_date, baseline_date=baseline_date, benchmark_symbol=benchmark
    )
    answers = _ask_every_contender(task, deps, request)
    closes: dict[str, Decimal] = {}
    for answer in answers:
        for pick in answer.result.picks.picks if answer.result else ():
            if pick.ticker not in closes:
                closes[pick.ticker] = deps.market.close(pick.ticker, baseline_date)
    entries = [_model_entry(answer, closes) for answer in answers]
    lead = next(answer.result for answer in answers if answer.result)
    if deps.picker_settings.random_control:
        entries.append(_control_entry(deps, run_date, lead, closes))
    for symbol in [*closes, benchmark]:
        # Dividends declared for the fortnight are counted from its first day (one shared
        # look-up per symbol and day; a failed one is caught up on by later checkpoints).
        deps.market.look_up(symbol)
    provenance: dict[str, Any] = {
        "model": lead.model,
        "prompt_version": lead.prompt_version,
        "baseline_date": baseline_date.isoformat(),
        "execution_name": execution_name,
        "attempts": [attempt.model_dump(mode="json") for attempt in lead.attempts],
        "contenders": [
            {
                "contender": a.contender.name,
                "model": a.result.model if a.result else a.contender.model,
                "attempts": len(a.result.attempts) if a.result else None,
                "error": a.error,
            }
            for a in answers
        ],
    }
    # The stand-ins say what they are: a batch any of them made is simulated.
    offline = deps.market.source.offline or any(
        deps.picker_for(a.contender).offline for a in answers
    )
    detail = create_batch(
        conn,
        NewBatch(
            execution_name=execution_name,
            run_date=run_date,
            benchmark_symbol=benchmark,
            benchmark_initial_price=benchmark_close,
            baseline_date=baseline_date,
            origin=batch_origin(offline=offline, committed_at=deps.now(), run_date=run_date),
            committed_at=deps.now(),
            entries=tuple(entries),
        ),
        provenance,
    )
    logger.append_keys(batch_id=str(detail.batch.id))
    logger.info(
        "batch created",
        extra={
            "tickers": [p.ticker for p in detail.picks],
            "entries": [e.contender for e in detail.entries],
            "attempts": len(lead.attempts),
        },
    )
    return _tracking_plan(detail, deps)


def _tracking_plan(detail: BatchDetail, deps: StepDependencies) -> GeneratePicksResult:
    """What the loop needs: the batch, its picks and the 14 wake-up instants."""
    batch = detail.batch
    schedule = checkpoint_schedule(batch.run_date, deps.market_settings.checkpoint_local_time)
    contenders = {entry.id: entry.contender for entry in detail.entries}
    return GeneratePicksResult(
        batch_id=batch.id,
        run_date=batch.run_date,
        baseline_date=detail.checkpoints[0].checkpoint_date,
        model=batch.model or "unknown",
        benchmark_symbol=batch.benchmark_symbol,
        benchmark_initial_price=batch.benchmark_initial_price,
        picks=[
            PickSummary(
                contender=contenders[p.entry_id],
                ticker=p.ticker,
                action=p.action,
                initial_price=p.initial_price,
            )
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
