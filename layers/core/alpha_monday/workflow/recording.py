"""Stores what the domain decided about a day: a scored session, a skipped day, a healed one."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import psycopg

from alpha_monday.db.checkpoints import record_checkpoint
from alpha_monday.db.events import append_event
from alpha_monday.domain import skip_reasons
from alpha_monday.domain.errors import MarketDataError
from alpha_monday.domain.market_data import MarketData, SessionCloses
from alpha_monday.domain.model import BatchDetail, Checkpoint, PickSkip
from alpha_monday.domain.scoring import DayScore, SplitConfirmer, score_day
from alpha_monday.domain.splits import Split, confirming_split
from alpha_monday.observability import logger
from alpha_monday.workflow.models import PickLeftOutSummary, PickReturn


def split_confirmer(market: MarketData) -> SplitConfirmer:
    """Asks the source's split history, once per jump seen (never when nothing jumped)."""

    def confirm(ticker: str, after: date, through: date, factor: Decimal) -> Split | None:
        try:
            history = market.splits(ticker)
        except MarketDataError as error:
            logger.warning(
                "split history unavailable", extra={"ticker": ticker, "error": error.reason}
            )
            return None
        return confirming_split(history, after, through, factor)

    return confirm


def store_score(conn: psycopg.Connection, detail: BatchDetail, score: DayScore) -> bool:
    """The day's rows and the events that explain them, together or not at all.

    False when nothing was stored: the day is computed already and this score skips it
    (a computed day is never downgraded).
    """
    with conn.transaction():
        if record_checkpoint(conn, detail.batch.id, score) is None:
            return False
        if score.skip_reason is not None:
            append_event(
                conn,
                detail.batch.id,
                "checkpoint_skipped",
                {"checkpoint_date": score.trading_date.isoformat(), "reason": score.skip_reason},
            )
        for new in score.new_splits:
            append_event(
                conn,
                detail.batch.id,
                "split_applied",
                {
                    "ticker": new.ticker,
                    "checkpoint_date": score.trading_date.isoformat(),
                    "effective_date": new.split.effective_date.isoformat(),
                    "split_factor": str(new.split.factor),
                },
            )
        for left_out in score.left_out:
            append_event(
                conn,
                detail.batch.id,
                "pick_skipped",
                {
                    "ticker": left_out.ticker,
                    "checkpoint_date": score.trading_date.isoformat(),
                    "reason": left_out.reason,
                },
            )
    return True


def score_and_store(
    conn: psycopg.Connection, detail: BatchDetail, session: SessionCloses, market: MarketData
) -> tuple[DayScore, bool]:
    """The day's score, and whether it was stored (see `store_score`)."""
    score = score_day(detail, session, split_confirmer(market))
    return score, store_score(conn, detail, score)


def heal_days(
    conn: psycopg.Connection,
    detail: BatchDetail,
    market: MarketData,
    before: date,
    *,
    may_fetch: bool,
) -> list[date]:
    """Fill in days skipped for a provider reason, from the cache (or, if `may_fetch`, the
    source); returns the days healed. A day the cache cannot complete stays as it was."""
    symbols = [pick.ticker for pick in detail.picks] + [detail.batch.benchmark_symbol]
    healed = []
    for day in skip_reasons.days_to_heal(detail.checkpoints, detail.batch.run_date, before):
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
        score = score_day(detail, session, split_confirmer(market))
        if score.skip_reason is not None:
            continue
        with conn.transaction():
            store_score(conn, detail, score)
            append_event(
                conn,
                detail.batch.id,
                "checkpoint_healed",
                {
                    "checkpoint_date": day.isoformat(),
                    "previous_reason": next(
                        c.skip_reason for c in detail.checkpoints if c.checkpoint_date == day
                    ),
                },
            )
        healed.append(day)
    if healed:
        logger.info("days healed", extra={"healed": [day.isoformat() for day in healed]})
    return healed


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
