"""The shared cache of final daily closes, per source (reads never mix sources)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal

import psycopg

from alpha_monday.db.events import append_event

# A row is read as a close only if it was fetched once that session was over (+ margin):
# the same rule the writer applies, checked again where the value is used.
_FINAL = (
    "fetched_at >= ((trading_date + time '16:00') AT TIME ZONE 'America/New_York')"
    " + %(margin)s::interval"
)

_CLOSES_ON_SQL = f"""
SELECT symbol, close FROM prices
WHERE source = %(source)s AND symbol = ANY(%(symbols)s) AND trading_date = %(day)s AND {_FINAL}
"""  # noqa: S608 - a constant condition is interpolated


def cached_closes(
    conn: psycopg.Connection,
    source: str,
    symbols: Iterable[str],
    trading_date: date,
    margin: timedelta,
) -> dict[str, Decimal]:
    """Final closes already known for `trading_date`, by symbol; others are absent."""
    rows = conn.execute(
        _CLOSES_ON_SQL,
        {"source": source, "symbols": list(symbols), "day": trading_date, "margin": margin},
    ).fetchall()
    return dict(rows)


def store_closes(
    conn: psycopg.Connection,
    source: str,
    symbol: str,
    closes: Mapping[date, Decimal],
    fetched_at: datetime,
) -> int:
    """Upsert final closes of a symbol in one statement; returns how many were given.

    The database refuses a row fetched before its session was over, and an insane price.
    """
    if not closes:
        return 0
    with conn.cursor() as cursor:
        cursor.execute(
            "INSERT INTO prices (source, symbol, trading_date, close, fetched_at)"
            " SELECT %s, %s, d, c, %s FROM unnest(%s::date[], %s::numeric[]) AS t(d, c)"
            " ON CONFLICT (source, symbol, trading_date)"
            " DO UPDATE SET close = EXCLUDED.close, fetched_at = EXCLUDED.fetched_at",
            (source, symbol, fetched_at, list(closes.keys()), list(closes.values())),
        )
    return len(closes)


class PostgresPriceCache:
    """The domain's PriceCache on the `prices` table; refused bars become `price_rejected`
    events."""

    def __init__(self, connection: Callable[[], psycopg.Connection]) -> None:
        self._connection = connection

    def final_closes(
        self, source_id: str, symbols: list[str], trading_date: date, margin: timedelta
    ) -> dict[str, Decimal]:
        return cached_closes(self._connection(), source_id, symbols, trading_date, margin)

    def store(
        self, source_id: str, symbol: str, closes: Mapping[date, Decimal], fetched_at: datetime
    ) -> None:
        store_closes(self._connection(), source_id, symbol, closes, fetched_at)

    def record_rejected(self, source_id: str, symbol: str, day: date, reason: str) -> None:
        append_event(
            self._connection(),
            None,
            "price_rejected",
            {
                "source": source_id,
                "symbol": symbol,
                "trading_date": day.isoformat(),
                "reason": reason,
            },
        )
