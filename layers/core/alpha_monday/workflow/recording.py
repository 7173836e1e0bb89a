"""Stores what the domain decided about a day: a scored session, a skipped day, a healed or
rescored one. A published value that changes leaves an event with the old and new values."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import psycopg

from alpha_monday.db.batches import get_batch_detail
from alpha_monday.db.checkpoints import record_checkpoint
from alpha_monday.db.events import append_event
from alpha_monday.domain import skip_reasons
from alpha_monday.domain.corporate_actions import CorporateAction
from alpha_monday.domain.errors import MarketDataError
from alpha_monday.domain.market_data import MarketData, SessionCloses
from alpha_monday.domain.model import AppliedAction, BatchDetail, Checkpoint, PickMetric, PickSkip
from alpha_monday.domain.moves import MoveRule
from alpha_monday.domain.scoring import DayScore, PickScore, score_day
from alpha_monday.observability import logger
from alpha_monday.workflow.models import PickLeftOutSummary, PickReturn


def _values(
    benchmark_return_pct: Decimal | None,
    scores: Iterable[PickMetric | PickScore],
    left_out: Iterable[PickSkip],
) -> dict[str, Any]:
    """A day's published values, as the rescoring event keeps them (old and new), by pick
    id: two contenders of a batch may hold the same ticker."""
    return {
        "benchmark_return_pct": str(benchmark_return_pct),
        "picks": {
            str(s.pick_id): [s.ticker, str(s.absolute_return_pct), str(s.vs_benchmark_pct)]
            for s in scores
        },
        "left_out": {str(s.pick_id): [s.ticker, s.reason] for s in left_out},
    }


ActionKey = tuple[str, str, date]


def _key(action: AppliedAction | CorporateAction) -> ActionKey:
    """A corporate action's identity: one per symbol, kind and date."""
    return action.symbol, action.kind, action.action_date


def _keys(actions: Iterable[AppliedAction]) -> frozenset[ActionKey]:
    return frozenset(_key(a) for a in actions)


def _newly_counted(known: frozenset[ActionKey], score: DayScore) -> list[str]:
    return [
        f"counts the {a.kind} of {a.symbol} on {a.action_date} ({a.value})"
        for a in score.applied
        if _key(a) not in known
    ]


def store_score(
    conn: psycopg.Connection,
    detail: BatchDetail,
    score: DayScore,
    *,
    because: str = "",
    known_before: frozenset[ActionKey] | None = None,
) -> bool:
    """The day's rows and the events that explain them, together or not at all.

    A computed day whose published values change is rescored: an event keeps the old and
    the new values, and the day says why (the decisions, and the actions not counted in
    `known_before`: by default, before this day was scored). False when nothing was stored:
    the day is computed already and this score skips it (a computed day is never downgraded).
    """
    counted = _keys(detail.corporate_actions)
    batch_id = detail.batch.id
    day = score.trading_date.isoformat()
    previous = next(
        (c for c in detail.checkpoints if c.checkpoint_date == score.trading_date), None
    )
    rescored_because = None
    if previous is not None and previous.status == "computed" and score.skip_reason is None:
        old = _values(previous.benchmark_return_pct, previous.metrics, previous.skipped_picks)
        new = _values(score.benchmark_return_pct, score.scores, score.left_out)
        if old != new:
            known = counted if known_before is None else known_before
            why = "; ".join([*score.decisions, *_newly_counted(known, score)]) or "recomputed"
            rescored_because = f"{because}: {why}" if because else why
    with conn.transaction():
        if record_checkpoint(conn, batch_id, score, rescored_because=rescored_because) is None:
            return False
        if rescored_because is not None:
            append_event(
                conn,
                batch_id,
                "checkpoint_rescored",
                {"checkpoint_date": day, "because": rescored_because, "old": old, "new": new},
            )
            logger.info("checkpoint rescored", extra={"day": day, "because": rescored_because})
        if score.skip_reason is not None:
            append_event(
                conn,
                batch_id,
                "checkpoint_skipped",
                {"checkpoint_date": day, "reason": score.skip_reason},
            )
        if previous is not None and previous.status == "skipped" and score.skip_reason is None:
            append_event(
                conn,
                batch_id,
                "checkpoint_healed",
                {"checkpoint_date": day, "previous_reason": previous.skip_reason},
            )
        for action in score.applied:
            if _key(action) in counted:
                continue
            append_event(
                conn,
                batch_id,
                "corporate_action_counted",
                {
                    "symbol": action.symbol,
                    "kind": action.kind,
                    "action_date": action.action_date.isoformat(),
                    "value": str(action.value),
                    "checkpoint_date": day,
                },
            )
        stored_reasons = {s.pick_id: s.reason for s in previous.skipped_picks} if previous else {}
        for left_out in score.left_out:
            if stored_reasons.get(left_out.pick_id) != left_out.reason:
                append_event(
                    conn,
                    batch_id,
                    "pick_skipped",
                    {"ticker": left_out.ticker, "checkpoint_date": day, "reason": left_out.reason},
                )
    return True


def score_and_store(
    conn: psycopg.Connection,
    detail: BatchDetail,
    session: SessionCloses,
    market: MarketData,
    rule: MoveRule,
) -> tuple[DayScore, bool]:
    """The day's score, and whether it was stored (see `store_score`)."""
    score = score_day(detail, session, market, rule)
    return score, store_score(conn, detail, score)


def rescore_days(
    conn: psycopg.Connection,
    detail: BatchDetail,
    market: MarketData,
    rule: MoveRule,
    days: Iterable[date],
    *,
    later: SessionCloses | None,
    may_fetch: bool = False,
    because: str = "",
) -> list[date]:
    """Score stored days again, oldest first, from the cache (or, if `may_fetch`, the
    source), with `later` to decide held moves; returns the days healed (skipped before,
    computed now). A day that cannot be completed stays as it was."""
    healed = []
    known_before = _keys(detail.corporate_actions)
    symbols = detail.symbols
    for day in sorted(days):
        if may_fetch:
            try:
                session = market.session_closes(symbols, day)
            except MarketDataError as error:
                logger.info("day not healed", extra={"day": day.isoformat(), "error": error.reason})
                continue
        else:
            session = market.cached_session_closes(symbols, day)
        if set(symbols) - set(session.closes) - set(session.unknown):
            continue
        score = score_day(detail, session, market, rule, later=later)
        previous = next(c for c in detail.checkpoints if c.checkpoint_date == day)
        if score.skip_reason is not None and previous.status == "skipped":
            # Still skipped: stored only once decided for good (an outlier).
            decided = score.skip_reason != previous.skip_reason and not skip_reasons.is_healable(
                score.skip_reason
            )
            stored = decided and store_score(
                conn, detail, score, because=because, known_before=known_before
            )
        else:
            stored = store_score(conn, detail, score, because=because, known_before=known_before)
            if stored and previous.status == "skipped":
                healed.append(day)
        if stored:
            # The next day is judged against what this one now publishes.
            detail = get_batch_detail(conn, detail.batch.id)
    if healed:
        logger.info("days healed", extra={"healed": [day.isoformat() for day in healed]})
    return healed


def heal_days(
    conn: psycopg.Connection,
    detail: BatchDetail,
    market: MarketData,
    rule: MoveRule,
    before: date,
    *,
    later: SessionCloses | None,
    may_fetch: bool,
) -> list[date]:
    """Fill in the days a later run can fix (see `skip_reasons.days_to_heal`)."""
    days = skip_reasons.days_to_heal(detail.checkpoints, detail.batch.run_date, before)
    return rescore_days(conn, detail, market, rule, days, later=later, may_fetch=may_fetch)


def stored_pick_returns(detail: BatchDetail, checkpoint: Checkpoint) -> list[PickReturn]:
    """A stored day's returns per pick, as the state machine's output shows them."""
    action = {pick.id: pick.action for pick in detail.picks}
    return [
        PickReturn(
            ticker=metric.ticker,
            action=action[metric.pick_id],
            close=metric.current_price,
            absolute_return_pct=metric.absolute_return_pct,
            vs_benchmark_pct=metric.vs_benchmark_pct,
        )
        for metric in checkpoint.metrics
    ]


def pick_returns_out(score: DayScore) -> tuple[list[PickReturn], list[PickLeftOutSummary]]:
    return (
        [
            PickReturn(
                ticker=s.ticker,
                action=s.action,
                close=s.close,
                absolute_return_pct=s.absolute_return_pct,
                vs_benchmark_pct=s.vs_benchmark_pct,
            )
            for s in score.scores
        ],
        left_out_summaries(score.left_out),
    )


def left_out_summaries(skips: Iterable[PickSkip]) -> list[PickLeftOutSummary]:
    """The picks without returns on a day, as the state machine's output shows them."""
    return [PickLeftOutSummary(ticker=skip.ticker, reason=skip.reason) for skip in skips]
