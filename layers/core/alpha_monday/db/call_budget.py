"""A provider's daily call budget, held in Postgres so concurrent Lambdas share it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import psycopg


def reserve_call(
    conn: psycopg.Connection,
    provider: str,
    budget_date: date,
    *,
    daily_limit: int,
    min_interval: timedelta,
    sleep: Callable[[float], None],
) -> int | None:
    """Reserve one call: the call's number that day, or None when the budget is spent.

    The budget row stays locked while waiting out `min_interval` since the previous call,
    so concurrent callers are spaced out one after another, never side by side.
    """
    with conn.transaction(), conn.cursor() as cursor:
        cursor.execute(
            "INSERT INTO provider_call_budget (provider, budget_date) VALUES (%s, %s)"
            " ON CONFLICT DO NOTHING",
            (provider, budget_date),
        )
        row = cursor.execute(
            "SELECT calls, last_call_at, clock_timestamp() FROM provider_call_budget"
            " WHERE provider = %s AND budget_date = %s FOR UPDATE",
            (provider, budget_date),
        ).fetchone()
        assert row is not None
        calls: int = row[0]
        last_call_at: datetime | None = row[1]
        now: datetime = row[2]
        if calls >= daily_limit:
            return None
        if last_call_at is not None:
            wait = (last_call_at + min_interval - now).total_seconds()
            if wait > 0:
                sleep(wait)
        cursor.execute(
            "UPDATE provider_call_budget SET calls = calls + 1, last_call_at = clock_timestamp()"
            " WHERE provider = %s AND budget_date = %s",
            (provider, budget_date),
        )
    return calls + 1


def calls_per_day(conn: psycopg.Connection, provider: str) -> dict[date, int]:
    """How many calls were made to `provider`, by budget day."""
    rows = conn.execute(
        "SELECT budget_date, calls FROM provider_call_budget WHERE provider = %s"
        " ORDER BY budget_date",
        (provider,),
    ).fetchall()
    return dict(rows)
