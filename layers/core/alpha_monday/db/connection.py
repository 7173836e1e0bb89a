"""One connection per process, reused across warm Lambda invocations.

It is checked before reuse and replaced when the server dropped it, so a database
restart costs one reconnect instead of a failed invocation. The check is a round trip,
so it is made when the connection sat idle (a new invocation), not on every call within
one step, where the same connection was handed out moments ago.
"""

from __future__ import annotations

import time

import psycopg
from psycopg import pq

from alpha_monday.config import database_settings
from alpha_monday.domain.errors import DatabaseUnavailable

RECHECK_AFTER_IDLE_SECONDS = 1.0

_connection: psycopg.Connection | None = None
_handed_out_at = 0.0


def connect(
    database_url: str, connect_timeout_seconds: int, statement_timeout_seconds: float
) -> psycopg.Connection:
    """A new autocommit connection; writes group their statements with `conn.transaction()`.

    Every statement (a lock wait included) is cancelled after the statement timeout. It is
    set with SET rather than a startup option, which connection poolers may refuse.
    """
    try:
        connection = psycopg.connect(
            database_url,
            autocommit=True,
            connect_timeout=connect_timeout_seconds,
            application_name="alpha-monday",
        )
        connection.execute(
            "SELECT set_config('statement_timeout', %s, false)",
            (f"{round(statement_timeout_seconds * 1000)}ms",),
        )
    except psycopg.OperationalError as error:
        # psycopg's message can quote the connection string; keep it out of the error.
        raise DatabaseUnavailable("cannot connect to the database") from error
    return connection


def _is_usable(connection: psycopg.Connection) -> bool:
    if connection.closed or connection.info.transaction_status != pq.TransactionStatus.IDLE:
        return False
    try:
        connection.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


def get_connection() -> psycopg.Connection:
    global _connection, _handed_out_at  # noqa: PLW0603 - the warm container's cache
    # Wall-clock time: it moves on while a Lambda sandbox is frozen, a monotonic clock may not.
    now = time.time()
    recently_used = now - _handed_out_at < RECHECK_AFTER_IDLE_SECONDS
    if _connection is not None and not _connection.closed and recently_used:
        _handed_out_at = now
        return _connection
    if _connection is not None and _is_usable(_connection):
        _handed_out_at = now
        return _connection
    if _connection is not None:
        _connection.close()
    settings = database_settings()
    _connection = connect(
        settings.database_url.reveal(),
        settings.connect_timeout_seconds,
        settings.statement_timeout_seconds,
    )
    _handed_out_at = now
    return _connection


def close_connection() -> None:
    global _connection  # noqa: PLW0603
    if _connection is not None:
        _connection.close()
        _connection = None
