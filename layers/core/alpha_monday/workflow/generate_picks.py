"""GeneratePicks: every contender's outcome, the random control, their baseline closes and
the batch, committed in one transaction.

The contenders were asked by the AskContenders Map (workflow/asking.py), each on its own;
their accepted answers are read back from `events`. A contender that failed after its
retries is recorded in the batch without picks, with its error; with no model answering the
run fails. Idempotent per execution: a retry of the execution that committed the batch gets
that batch back; another execution for the same Monday fails with BatchAlreadyExists.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import psycopg

from alpha_monday.db.batches import batch_of_run, get_batch_detail
from alpha_monday.db.events import stability_answers
from alpha_monday.db.new_batch import create_batch
from alpha_monday.domain import errors
from alpha_monday.domain.control import draw_control, mix_of
from alpha_monday.domain.errors import (
    BatchAlreadyExists,
    InvalidRunInput,
    MarketDataUnknownSymbol,
    NoContenderAnswered,
    PickerError,
)
from alpha_monday.domain.model import (
    CONTROL_CONTENDER,
    NewBatch,
    NewEntry,
    NewPick,
    PickStability,
)
from alpha_monday.domain.origin import batch_origin
from alpha_monday.domain.picks import PickerResult
from alpha_monday.domain.stability import pick_stability
from alpha_monday.integrations.universe import sp500_universe
from alpha_monday.observability import logger
from alpha_monday.run_config import ArenaSettings, ContenderSettings
from alpha_monday.workflow.asking import accepted_answer
from alpha_monday.workflow.dependencies import StepDependencies
from alpha_monday.workflow.models import ContenderOutcome, GeneratePicksResult, GeneratePicksTask
from alpha_monday.workflow.tracking_plan import tracking_plan


@dataclass(frozen=True)
class ContenderAnswer:
    """A contender's picks, or why it has none (it failed after its retries)."""

    contender: ContenderSettings
    result: PickerResult | None
    error_type: str | None = None
    error_message: str = ""
    offline: bool = False
    stability: PickStability | None = None

    @property
    def error(self) -> str | None:
        """The failure as a reader sees it: the error's name and its message."""
        if self.error_type is None:
            return None
        return f"{self.error_type}: {self.error_message}" if self.error_message else self.error_type


def _message(outcome: ContenderOutcome) -> str:
    """The failed function's message: a Lambda error's cause is its JSON, a timeout's is
    plain text."""
    try:
        return str(json.loads(outcome.cause or "")["errorMessage"])
    except (ValueError, TypeError, KeyError):
        return outcome.cause or ""


def _answers(
    task: GeneratePicksTask, arena: ArenaSettings, conn: psycopg.Connection
) -> list[ContenderAnswer]:
    """Each configured contender's outcome, in order, its accepted answer read back."""
    names = [outcome.contender for outcome in task.answers]
    if names != [c.name for c in arena.contenders]:
        raise InvalidRunInput(f"the answers name {names}, not the configured contenders")
    answers = []
    for contender, outcome in zip(arena.contenders, task.answers, strict=True):
        if not outcome.answered:
            answers.append(ContenderAnswer(contender, None, outcome.error or "", _message(outcome)))
            continue
        kept = accepted_answer(conn, task.context.workflow_run_id, contender.name)
        if kept is None:
            raise InvalidRunInput(f"{contender.name} answered, but no accepted answer is kept")
        answers.append(
            ContenderAnswer(
                contender,
                kept.result,
                offline=kept.offline,
                stability=_stability(conn, task, contender.name, kept.result),
            )
        )
    return answers


def _stability(
    conn: psycopg.Connection, task: GeneratePicksTask, contender: str, committed: PickerResult
) -> PickStability | None:
    """The contender's extra answers of this execution against its committed picks (None
    when pick stability is off)."""
    asked = stability_answers(conn, task.context.workflow_run_id, contender)
    if not asked:
        return None
    return pick_stability(
        [(pick.ticker, pick.action) for pick in committed.picks.picks],
        [None if a["calls"] is None else [tuple(call) for call in a["calls"]] for a in asked],
    )


PICKER_ERRORS: dict[str, type[PickerError]] = {
    cls.__name__: cls for cls in vars(errors).values()
    if isinstance(cls, type) and issubclass(cls, PickerError)
}  # fmt: skip


def _no_answer(answers: list[ContenderAnswer]) -> PickerError:
    """The run's error when no model answered: the only contender's own (as before the
    arena), else NoContenderAnswered naming each one's."""
    if len(answers) == 1 and answers[0].error_type in PICKER_ERRORS:
        (only,) = answers
        return PICKER_ERRORS[str(only.error_type)](only.error_message)
    return NoContenderAnswered(
        "no model contender answered: "
        + "; ".join(f"{a.contender.name}: {a.error}" for a in answers)
    )


def _model_entry(answer: ContenderAnswer, closes: dict[str, Decimal]) -> NewEntry:
    """The contender's entry: the model that answered and its picks, or the model asked and
    why it has none."""
    contender, result = answer.contender, answer.result
    return NewEntry(
        contender=contender.name,
        kind="model",
        model=result.model if result else contender.model,
        prompt_version=result.prompt_version if result else contender.prompt_version,
        error=answer.error,
        stability=answer.stability,
        picks=tuple(
            NewPick(
                ticker=pick.ticker,
                action=pick.action,
                reasoning=pick.reasoning,
                initial_price=closes[pick.ticker],
            )
            for pick in (result.picks.picks if result else ())
        ),
    )


def _control_entry(
    deps: StepDependencies,
    task: GeneratePicksTask,
    lead: PickerResult,
    closes: dict[str, Decimal],
) -> NewEntry:
    """The random control, drawn beside the first model entry that answered (its number of
    picks and BUY/SELL mix); its baseline closes join `closes`."""
    run_date, baseline_date = task.run_date, task.baseline_date

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
    run_date, baseline_date = task.run_date, task.baseline_date
    execution_name = task.context.workflow_run_id
    logger.append_keys(run_date=run_date.isoformat())
    conn = deps.conn
    existing = batch_of_run(conn, run_date)
    if existing is not None:
        batch_id, created_by = existing
        if created_by == execution_name:
            # A retry after the commit (a timeout, a dropped connection): same batch.
            logger.info("batch already created by this execution")
            return tracking_plan(get_batch_detail(conn, batch_id), deps)
        raise BatchAlreadyExists(f"a batch for run_date {run_date.isoformat()} exists already")
    answers = _answers(task, deps.arena, conn)
    if not any(answer.result for answer in answers):
        raise _no_answer(answers)
    benchmark = deps.market_settings.benchmark_symbol
    benchmark_close = deps.market.close(benchmark, baseline_date)
    closes: dict[str, Decimal] = {}
    for answer in answers:
        for pick in answer.result.picks.picks if answer.result else ():
            if pick.ticker not in closes:
                closes[pick.ticker] = deps.market.close(pick.ticker, baseline_date)
    entries = [_model_entry(answer, closes) for answer in answers]
    lead = next(answer.result for answer in answers if answer.result)
    if deps.arena.random_control:
        entries.append(_control_entry(deps, task, lead, closes))
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
    offline = deps.market.source.offline or any(a.offline for a in answers)
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
    deps.published("committed", detail.batch.id)
    logger.info(
        "batch created",
        extra={
            "tickers": [p.ticker for p in detail.picks],
            "entries": [e.contender for e in detail.entries],
        },
    )
    return tracking_plan(detail, deps)
