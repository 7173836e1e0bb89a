"""Why a day (or one pick on a day) has no returns, and which of those a later run can fix.

A closed market is final. A provider reason (outage, rate limit, a close not out, a price
the sanity rules refused) is healable: a later checkpoint or CompleteBatch fills the day
in once the cached series holds its final close. An unconfirmed move is decided by a later
session: published if the close held its level, an outlier (final) if it went back.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from alpha_monday.domain.errors import (
    CloseMissingRefused,
    MarketDataInvalidClose,
    MarketDataKeyRefused,
    MarketDataNotReady,
    MarketDataRateLimited,
    MarketDataUnavailable,
)
from alpha_monday.domain.model import Checkpoint

WEEKEND = "weekend"
CLOSE_NEVER_PUBLISHED = "close never published"
PROVIDER_UNAVAILABLE = "provider unavailable"
RATE_LIMITED = "rate limited"
INVALID_PRICE = "invalid price"
# The provider refused the key: healable once an operator fixes it, and alarmed on.
PROVIDER_REFUSED_KEY = "provider refused the key"
SYMBOL_UNKNOWN = "symbol unknown"
UNCONFIRMED_MOVE = "unconfirmed move"
OUTLIER = "outlier"

HEALABLE_KINDS = frozenset(
    {
        CLOSE_NEVER_PUBLISHED,
        PROVIDER_UNAVAILABLE,
        RATE_LIMITED,
        INVALID_PRICE,
        PROVIDER_REFUSED_KEY,
        UNCONFIRMED_MOVE,
    }
)

# The errors the state machine catches when a session's retries run out: keyed by the
# classes themselves, so a renamed class renames its key (the definition must follow).
REASON_BY_ERROR: dict[str, str] = {
    MarketDataNotReady.__name__: CLOSE_NEVER_PUBLISHED,
    MarketDataRateLimited.__name__: RATE_LIMITED,
    MarketDataUnavailable.__name__: PROVIDER_UNAVAILABLE,
    MarketDataInvalidClose.__name__: INVALID_PRICE,
    MarketDataKeyRefused.__name__: PROVIDER_REFUSED_KEY,
}


def holiday(name: str) -> str:
    return f"holiday: {name}"


def symbol_unknown(ticker: str) -> str:
    return f"{SYMBOL_UNKNOWN}: {ticker}"


def unconfirmed_move(ticker: str, growth: str) -> str:
    return (
        f"{UNCONFIRMED_MOVE}: {ticker} (close {growth}x its last published close, "
        f"no corporate action explains it yet)"
    )


def outlier(ticker: str, close: str, growth: str) -> str:
    return (
        f"{OUTLIER}: {ticker} (close {close} was {growth}x its last published close and the "
        f"next session went back to the earlier level)"
    )


def reason_for_provider_error(error_name: str) -> str:
    """The skip reason for a market data error whose retries ran out; an error the state
    machine never routes here is refused, not explained away as an outage."""
    try:
        return REASON_BY_ERROR[error_name]
    except KeyError:
        raise CloseMissingRefused(
            f"{error_name} is not a missing close (expected one of {', '.join(REASON_BY_ERROR)})"
        ) from None


def reason_kind(reason: str) -> str:
    """What kind of reason it is: the text before its detail ("symbol unknown: NVDA")."""
    return reason.split(":", 1)[0]


def is_healable(reason: str | None) -> bool:
    return reason is not None and reason_kind(reason) in HEALABLE_KINDS


def _holds_a_move(checkpoint: Checkpoint) -> bool:
    return any(reason_kind(s.reason) == UNCONFIRMED_MOVE for s in checkpoint.skipped_picks)


def days_to_heal(checkpoints: Iterable[Checkpoint], run_date: date, before: date) -> list[date]:
    """Fortnight days before `before` that a later run can fix: skipped for a healable
    reason, or computed with a pick's move held back."""
    return sorted(
        c.checkpoint_date
        for c in checkpoints
        if run_date <= c.checkpoint_date < before
        and (
            (c.status == "skipped" and is_healable(c.skip_reason))
            or (c.status == "computed" and _holds_a_move(c))
        )
    )


def days_held_by_a_refused_key(checkpoints: Iterable[Checkpoint]) -> list[date]:
    """Days skipped because the provider refused the key: they heal only once it is fixed."""
    return sorted(
        c.checkpoint_date
        for c in checkpoints
        if c.status == "skipped" and c.skip_reason == PROVIDER_REFUSED_KEY
    )
