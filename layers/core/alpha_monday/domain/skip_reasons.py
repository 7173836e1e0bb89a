"""Why a day (or one pick on a day) has no returns, and which of those a later run can fix.

A closed market is final. A provider reason (outage, rate limit, a close not out, a price
the sanity rules refused) is healable: a later checkpoint or CompleteBatch fills the day
in once the cached series holds its final close.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from alpha_monday.domain.model import Checkpoint

WEEKEND = "weekend"
CLOSE_NEVER_PUBLISHED = "close never published"
PROVIDER_UNAVAILABLE = "provider unavailable"
RATE_LIMITED = "rate limited"
INVALID_PRICE = "invalid price"
SYMBOL_UNKNOWN = "symbol unknown"
UNCONFIRMED_SPLIT = "unconfirmed split"

HEALABLE_PREFIXES = (CLOSE_NEVER_PUBLISHED, PROVIDER_UNAVAILABLE, RATE_LIMITED, INVALID_PRICE)

# The error names the state machine catches when retries run out (errors.py).
_REASON_BY_ERROR = {
    "MarketDataNotReady": CLOSE_NEVER_PUBLISHED,
    "MarketDataRateLimited": RATE_LIMITED,
    "MarketDataUnavailable": PROVIDER_UNAVAILABLE,
    "MarketDataInvalidClose": INVALID_PRICE,
}


def holiday(name: str) -> str:
    return f"holiday: {name}"


def symbol_unknown(ticker: str) -> str:
    return f"{SYMBOL_UNKNOWN}: {ticker}"


def unconfirmed_split(ticker: str, price_ratio: str) -> str:
    return f"{UNCONFIRMED_SPLIT}: {ticker} (close {price_ratio}x its last published close)"


def reason_for_provider_error(error_name: str) -> str:
    """The skip reason for a market data error whose retries ran out."""
    return _REASON_BY_ERROR.get(error_name, PROVIDER_UNAVAILABLE)


def is_healable(reason: str | None) -> bool:
    return reason is not None and reason.startswith(HEALABLE_PREFIXES)


def days_to_heal(checkpoints: Iterable[Checkpoint], run_date: date, before: date) -> list[date]:
    """Fortnight days before `before` that were skipped for a reason a later run can fix."""
    return sorted(
        c.checkpoint_date
        for c in checkpoints
        if c.status == "skipped"
        and run_date <= c.checkpoint_date < before
        and is_healable(c.skip_reason)
    )
