"""Asking one model contender for its picks, keeping every answer it gives.

Each answer is kept in `events` (per execution and contender) before anything else can
fail, so there is no silent re-roll: a retry of the step reuses a contender's accepted
answer or its final failure instead of asking again, and reviews an answer whose ticker
check was interrupted instead of asking anew.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg

from alpha_monday.business_metrics import PICKER_REASKS, count
from alpha_monday.config import ContenderSettings
from alpha_monday.db.events import append_event, last_picker_answers
from alpha_monday.domain.errors import (
    AlphaMondayError,
    MarketDataUnknownSymbol,
    PickerCheckInterrupted,
    PickerError,
    PickerUnavailable,
)
from alpha_monday.domain.picks import PickerAttempt, PickerResult, PickRequest
from alpha_monday.observability import logger
from alpha_monday.workflow.dependencies import StepDependencies

ACCEPTED = "accepted"
# The state machine retries an unavailable model this many times (GeneratePicks' Retry in
# shared/statemachine/weekly_run.asl.json; a test keeps the two equal). On the last try a
# contender still unavailable is recorded as failed and the week goes on without it.
PICKER_UNAVAILABLE_RETRIES = 4


@dataclass(frozen=True)
class ContenderAnswer:
    """A contender's picks, or why it has none (it failed after its retries)."""

    contender: ContenderSettings
    result: PickerResult | None
    error: str | None = None
    error_type: str | None = None


@dataclass(frozen=True)
class _Asking:
    """Which execution asks which contender for which Monday: the key of kept answers."""

    execution_name: str
    request: PickRequest
    contender: ContenderSettings

    def record(
        self, conn: psycopg.Connection, attempts: tuple[Any, ...], outcome: str, **extra: Any
    ) -> None:
        """The contender's answers and their outcome, kept whatever happens next."""
        append_event(
            conn,
            None,
            "picker_answered",
            {
                "execution_name": self.execution_name,
                "run_date": self.request.run_date.isoformat(),
                "contender": self.contender.name,
                "outcome": outcome,
                "attempts": [attempt.model_dump(mode="json") for attempt in attempts],
                **extra,
            },
        )


def _kept(conn: psycopg.Connection, execution_name: str, contender: ContenderSettings) -> Any:
    """What this execution's earlier try got from the contender: an answer to reuse, a
    final failure, answers to review again, or nothing."""
    payload = last_picker_answers(conn, execution_name, contender.name)
    if payload is None:
        return None
    if payload["outcome"] == ACCEPTED:
        return ContenderAnswer(contender, PickerResult.model_validate(payload["result"]))
    if payload.get("final"):
        return ContenderAnswer(contender, None, payload["error"], payload["outcome"])
    if payload["outcome"] == PickerCheckInterrupted.__name__:
        return tuple(PickerAttempt.model_validate(attempt) for attempt in payload["attempts"])
    return None


def _is_final(error: PickerError, retry_count: int, *, alone: bool) -> bool:
    """An unavailable model is retried by the state machine; any other picker error (a
    refusal, an answer broken after re-asking, a rejected request or key) is final. The
    only contender's error is the run's own, as it was before the arena: never final."""
    if alone:
        return False
    return not isinstance(error, PickerUnavailable) or retry_count >= PICKER_UNAVAILABLE_RETRIES


def ask_contender(
    deps: StepDependencies,
    execution_name: str,
    retry_count: int,
    request: PickRequest,
    contender: ContenderSettings,
    *,
    alone: bool,
) -> ContenderAnswer:
    """The contender's accepted picks, or its final failure; raises what the step must
    retry (the market's errors, a model still unavailable with retries left) and, when it
    is the only contender, its error."""
    conn = deps.conn
    kept = _kept(conn, execution_name, contender)
    if isinstance(kept, ContenderAnswer):
        logger.info("contender answer reused", extra={"contender": contender.name})
        return kept
    market = deps.market

    def check_ticker(ticker: str) -> str | None:
        try:
            market.close(ticker, request.baseline_date)
        except MarketDataUnknownSymbol as error:
            return error.reason
        return None

    earlier = kept or ()
    picker = deps.picker_for(contender)
    asking = _Asking(execution_name, request, contender)
    try:
        result = picker.pick(request.model_copy(update={"earlier_answers": earlier}), check_ticker)
    except PickerError as error:
        outcome = type(error).__name__
        if isinstance(error, PickerCheckInterrupted) and isinstance(
            error.__cause__, AlphaMondayError
        ):
            asking.record(conn, error.attempts, outcome)
            # The market's own error, so the state machine retries it as such; the retry
            # reviews the kept answer again instead of asking the model anew.
            raise error.__cause__ from None
        if not _is_final(error, retry_count, alone=alone):
            asking.record(conn, error.attempts, outcome)
            raise
        reason = f"{outcome}: {error}"
        asking.record(conn, error.attempts, outcome, final=True, error=reason)
        logger.warning("contender failed", extra={"contender": contender.name, "error": outcome})
        return ContenderAnswer(contender, None, reason, outcome)
    asking.record(conn, result.attempts, ACCEPTED, result=result.model_dump(mode="json"))
    count(PICKER_REASKS, len(result.attempts) - 1)
    return ContenderAnswer(contender, result)
