"""The shared cache of daily closes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

import psycopg


def cached_closes(
    conn: psycopg.Connection, symbols: Iterable[str], trading_date: date
) -> dict[str, Decimal]:
    """Closes already known for `trading_date`, by symbol; unknown symbols are absent."""
    rows = conn.execute(
        "SELECT symbol, close FROM prices WHERE symbol = ANY(%s) AND trading_date = %s",
        (list(symbols), trading_date),
    ).fetchall()
    return dict(rows)


def store_closes(conn: psycopg.Connection, symbol: str, closes: Mapping[date, Decimal]) -> int:
    """Upsert every close of a symbol in one statement; returns how many were given."""
    if not closes:
        return 0
    with conn.cursor() as cursor:
        cursor.execute(
            "INSERT INTO prices (symbol, trading_date, close, fetched_at)"
            " SELECT %s, d, c, now() FROM unnest(%s::date[], %s::numeric[]) AS t(d, c)"
            " ON CONFLICT (symbol, trading_date)"
            " DO UPDATE SET close = EXCLUDED.close, fetched_at = EXCLUDED.fetched_at",
            (symbol, list(closes.keys()), list(closes.values())),
        )
    return len(closes)
