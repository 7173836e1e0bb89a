"""The warm-container connection: reused, checked, replaced when broken, bounded when down."""

from __future__ import annotations

import time

import psycopg
import pytest

from alpha_monday.config import reset_settings_cache
from alpha_monday.db.connection import (
    RECHECK_AFTER_IDLE_SECONDS,
    close_connection,
    get_connection,
)
from alpha_monday.domain.errors import DatabaseUnavailable


def test_connection_is_reused_across_calls(database_url: str) -> None:
    first = get_connection()
    assert get_connection() is first


def test_a_connection_killed_by_the_server_is_replaced_at_the_next_invocation(
    database_url: str,
) -> None:
    # Given a cached connection that the server terminates
    first = get_connection()
    with psycopg.connect(database_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (first.info.backend_pid,))
    # Within the same step it is handed out as it is: no round trip on every call
    assert get_connection() is first
    # When it is asked for after sitting idle, as by the next invocation
    time.sleep(RECHECK_AFTER_IDLE_SECONDS + 0.1)
    second = get_connection()
    # Then it was checked, found dead, and a new, working one is returned
    assert second is not first
    assert second.execute("SELECT 1").fetchone() == (1,)


def test_a_connection_that_failed_mid_step_is_replaced_at_once(database_url: str) -> None:
    # Given a connection whose statement failed because the server dropped it
    first = get_connection()
    with psycopg.connect(database_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (first.info.backend_pid,))
    with pytest.raises(psycopg.OperationalError):
        first.execute("SELECT 1")
    # When the step asks for the connection again, then a working one comes back
    second = get_connection()
    assert second is not first
    assert second.execute("SELECT 1").fetchone() == (1,)


def test_an_unreachable_database_fails_fast_with_a_clean_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a database URL nobody listens on (a closed loopback port) and a 1 s timeout
    monkeypatch.setenv("DATABASE_URL", "postgresql://user:s3cret@127.0.0.1:9/none")
    monkeypatch.setenv("DATABASE_CONNECT_TIMEOUT_SECONDS", "1")
    reset_settings_cache()
    close_connection()
    started = time.monotonic()
    # When a connection is requested
    with pytest.raises(DatabaseUnavailable) as raised:
        get_connection()
    # Then it fails within the timeout, and the message holds no credentials
    assert time.monotonic() - started < 5
    assert "s3cret" not in str(raised.value)
    reset_settings_cache()
