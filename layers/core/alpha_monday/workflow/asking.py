"""AskContender: one model contender's picks, every answer it gives kept.

An iteration of the AskContenders Map: each contender is its own task, with its own
timeout, retries and Catch (a contender that fails after its retries is recorded by
GeneratePicks without picks). Each answer is kept in `events` (per execution and
contender) before anything else can fail, so there is no silent re-roll: a retry reuses the
contender's accepted answer instead of asking again, and reviews an answer whose ticker
check was interrupted instead of asking anew.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import psycopg

from alpha_monday.business_metrics import PICKER_REASKS, count
from alpha_monday.db.batches import list_batches
from alpha_monday.db.events import append_event, last_picker_answers
from alpha_monday.domain.errors import (
    AlphaMondayError,
    MarketDataUnknownSymbol,
    PickerCheckInterrupted,
    PickerError,
)
from alpha_monday.domain.model import BatchSummary
from alpha_monday.domain.picks import (
    PastBatch,
    PastPick,
    Picker,
    PickerAttempt,
    PickerResult,
    PickRequest,
)
from alpha_monday.observability import logger
from alpha_monday.run_config import ContenderSettings
from alpha_monday.workflow.dependencies import StepDependencies
from alpha_monday.workflow.models import AskContenderTask, ContenderAnswered

ACCEPTED = "accepted"
TRACK_RECORD_BATCHES = 8


@dataclass(frozen=True)
class _Asking:
    """Which execution asks which contender for which Monday: the key of kept answers."""

    execution_name: str
    run_date: date
    contender: str

    def record(
        self,
        conn: psycopg.Connection,
        attempts: tuple[Any, ...],
        outcome: str,
        event_type: str = "picker_answered",
        **extra: Any,
    ) -> None:
        """The contender's answers and their outcome, kept whatever happens next."""
        append_event(
            conn,
            None,
            event_type,
            {
                "execution_name": self.execution_name,
                "run_date": self.run_date.isoformat(),
                "contender": self.contender,
                "outcome": outcome,
                "attempts": _as_json(attempts),
                **extra,
            },
        )


@dataclass(frozen=True)
class KeptAnswer:
    result: PickerResult
    # Made by an offline stand-in (the scripted picker), not a real model.
    offline: bool


def _as_json(attempts: tuple[Any, ...]) -> list[Any]:
    return [attempt.model_dump(mode="json") for attempt in attempts]


def _accepted(payload: dict[str, Any] | None) -> KeptAnswer | None:
    """The answer a kept `picker_answered` payload accepted, if it did."""
    if payload is None or payload["outcome"] != ACCEPTED:
        return None
    return KeptAnswer(PickerResult.model_validate(payload["result"]), bool(payload["offline"]))


def accepted_answer(
    conn: psycopg.Connection, execution_name: str, contender: str
) -> KeptAnswer | None:
    """The answer this execution accepted from the contender, if it did."""
    return _accepted(last_picker_answers(conn, execution_name, contender))


def _interrupted(payload: dict[str, Any] | None) -> tuple[PickerAttempt, ...]:
    """The answers of an earlier try whose ticker check was interrupted: to review again."""
    if payload is None or payload["outcome"] != PickerCheckInterrupted.__name__:
        return ()
    return tuple(PickerAttempt.model_validate(attempt) for attempt in payload["attempts"])


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
    """The contender's own recent completed weeks, for its prompt."""
    page = list_batches(conn, limit=TRACK_RECORD_BATCHES, before=run_date)
    past = (
        _past_batch(item, contender, first) for item in page.items if item.status == "completed"
    )
    return tuple(batch for batch in past if batch.picks)


def _answered(contender: ContenderSettings, result: PickerResult) -> ContenderAnswered:
    return ContenderAnswered(
        contender=contender.name,
        model=result.model,
        tickers=[pick.ticker for pick in result.picks.picks],
    )


def ask_contender(task: AskContenderTask, deps: StepDependencies) -> ContenderAnswered:
    """The contender's accepted picks (kept in `events`); raises its picker's error for the
    state machine to retry or catch, and the market's errors as the market's."""
    arena = deps.picker_settings.arena
    contender = arena.contender(task.contender)
    logger.append_keys(run_date=task.run_date.isoformat(), contender=contender.name)
    conn = deps.conn
    # One read of what this execution kept: an answer to reuse, or answers to review.
    payload = last_picker_answers(conn, task.execution_name, contender.name)
    kept = _accepted(payload)
    if kept is not None:
        logger.info("contender answer reused")
        return _answered(contender, kept.result)
    market = deps.market

    def check_ticker(ticker: str) -> str | None:
        try:
            market.close(ticker, task.baseline_date)
        except MarketDataUnknownSymbol as error:
            return error.reason
        return None

    request = PickRequest(
        run_date=task.run_date,
        baseline_date=task.baseline_date,
        benchmark_symbol=deps.market_settings.benchmark_symbol,
        track_record=_track_record(
            conn, task.run_date, contender.name, first=contender == arena.contenders[0]
        ),
        earlier_answers=_interrupted(payload),
    )
    asking = _Asking(task.execution_name, task.run_date, contender.name)
    picker = deps.picker_for(contender)
    try:
        result = picker.pick(request, check_ticker)
    except PickerError as error:
        asking.record(conn, error.attempts, type(error).__name__)
        if isinstance(error, PickerCheckInterrupted) and isinstance(
            error.__cause__, AlphaMondayError
        ):
            # The market's own error, so the state machine retries it as such; the retry
            # reviews the kept answer again instead of asking the model anew.
            raise error.__cause__ from None
        raise
    asking.record(
        conn,
        result.attempts,
        ACCEPTED,
        result=result.model_dump(mode="json"),
        offline=picker.offline,
    )
    count(PICKER_REASKS, len(result.attempts) - 1)
    logger.info("contender answered", extra={"attempts": len(result.attempts)})
    _ask_again(deps, asking, picker, request)
    return _answered(contender, result)


def _ask_again(
    deps: StepDependencies, asking: _Asking, picker: Picker, request: PickRequest
) -> None:
    """Pick stability: the model asked `pick_stability_asks` more times with the same
    request, each answer kept (`picker_stability_answered`), none tracked. Their tickers are
    not checked against the market: they cost no market-data call and are never scored."""
    for ask in range(1, deps.picker_settings.pick_stability_asks + 1):
        calls: list[list[str]] | None = None
        try:
            again = picker.pick(request.model_copy(update={"earlier_answers": ()}), _unchecked)
        except PickerError as error:
            outcome, attempts = type(error).__name__, error.attempts
        else:
            outcome, attempts = ACCEPTED, again.attempts
            calls = [[pick.ticker, pick.action] for pick in again.picks.picks]
        asking.record(
            deps.conn, attempts, outcome, "picker_stability_answered", ask=ask, calls=calls
        )


def _unchecked(_ticker: str) -> None:
    return None
