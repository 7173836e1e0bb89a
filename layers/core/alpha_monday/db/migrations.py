"""Schema migrations with yoyo: ordered SQL files with rollbacks, applied under a lock.

yoyo's lock is a row in `yoyo_lock`, deleted when the migrating process is done: a process
killed half way (kill -9, a Lambda timed out mid-migration) leaves the row behind for good.
So every migrating session also holds a PostgreSQL advisory lock, which the server releases
the moment that session ends. Whoever holds the advisory lock knows no live migration is
running: a `yoyo_lock` row it finds then is stale and is cleared, with one line saying so.
A row held by a live migration is never touched: its session still holds the advisory
lock, and the next run waits for it (then fails with MigrationsLocked).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from yoyo import get_backend, read_migrations

from alpha_monday.domain.errors import MigrationsLocked

# A link to the project's top-level migrations/, so the layer ships the very same files.
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def yoyo_url(database_url: str) -> str:
    """yoyo picks its driver from the URL scheme; psycopg 3 is `postgresql+psycopg`."""
    for prefix in ("postgresql://", "postgres://"):
        if database_url.startswith(prefix):
            return "postgresql+psycopg://" + database_url.removeprefix(prefix)
    return database_url


# The advisory lock's key: any constant the application uses for nothing else.
MIGRATION_LOCK_KEY = 0x414D_4D49  # "AMMI"
DEFAULT_LOCK_WAIT_SECONDS = 10.0
_POLL_SECONDS = 0.2
# How soon the server ends a migrating session whose client is gone: a closed socket is
# noticed within a second even mid-statement (PostgreSQL 14+), a vanished host (a Lambda
# frozen or killed at its timeout) by TCP keepalive within about 10 + 3 x 5 seconds.
_DEAD_CLIENT_SETTINGS = {
    "client_connection_check_interval": "1s",
    "tcp_keepalives_idle": "10",
    "tcp_keepalives_interval": "5",
    "tcp_keepalives_count": "3",
}

StaleLockReport = Callable[[str], None]


def _ignore(_: str) -> None:
    return None


def _holder(backend: Any) -> str:
    row = backend.connection.execute("SELECT pid, ctime FROM yoyo_lock").fetchone()
    return "no process" if row is None else f"process {row[0]} (locked at {row[1]} UTC)"


def _hold_session_lock(backend: Any, wait_seconds: float) -> None:
    """Take the advisory lock for this session, waiting for a live migration to finish."""
    connection = backend.connection
    for name, value in _DEAD_CLIENT_SETTINGS.items():
        connection.execute("SELECT set_config(%s, %s, false)", (name, value))
    deadline = time.monotonic() + wait_seconds
    while True:
        row = connection.execute(
            "SELECT pg_try_advisory_lock(%s)", (MIGRATION_LOCK_KEY,)
        ).fetchone()
        if row is not None and row[0]:
            return
        if time.monotonic() >= deadline:
            raise MigrationsLocked(
                f"another migration is running: {_holder(backend)} holds the lock; "
                f"waited {wait_seconds:g} s, try again when it is done"
            )
        time.sleep(_POLL_SECONDS)


def _clear_stale_lock(backend: Any, report: StaleLockReport) -> None:
    """Holding the advisory lock, any yoyo_lock row is a dead migration's: clear it."""
    row = backend.connection.execute("DELETE FROM yoyo_lock RETURNING pid, ctime").fetchone()
    if row is not None:
        report(
            f"cleared a stale migration lock: process {row[0]} took it at {row[1]} UTC and is "
            "gone (its database session ended), so no migration holds it"
        )


@contextmanager
def _locked(database_url: str, wait_seconds: float, report: StaleLockReport) -> Iterator[Any]:
    """yoyo's backend holding its lock, so concurrent runs (two deploys) take turns."""
    backend = get_backend(yoyo_url(database_url))  # creates yoyo_lock if missing
    try:
        _hold_session_lock(backend, wait_seconds)
        _clear_stale_lock(backend, report)
        with backend.lock():
            yield backend
    finally:
        backend.connection.close()  # ends the session: the advisory lock goes with it


def apply_migrations(
    database_url: str,
    migrations_dir: Path,
    *,
    lock_wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS,
    on_stale_lock: StaleLockReport = _ignore,
) -> list[str]:
    """Apply what is pending, oldest first; running it again applies nothing."""
    return _migrate("apply", database_url, migrations_dir, lock_wait_seconds, on_stale_lock)


def rollback_migrations(
    database_url: str,
    migrations_dir: Path,
    *,
    lock_wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS,
    on_stale_lock: StaleLockReport = _ignore,
) -> list[str]:
    """Roll every applied migration back, newest first."""
    return _migrate("rollback", database_url, migrations_dir, lock_wait_seconds, on_stale_lock)


def _migrate(
    direction: Literal["apply", "rollback"],
    database_url: str,
    migrations_dir: Path,
    lock_wait_seconds: float,
    on_stale_lock: StaleLockReport,
) -> list[str]:
    with _locked(database_url, lock_wait_seconds, on_stale_lock) as backend:
        migrations = read_migrations(str(migrations_dir))
        if direction == "apply":
            chosen = backend.to_apply(migrations)
            backend.apply_migrations(chosen)
        else:
            chosen = backend.to_rollback(migrations)
            backend.rollback_migrations(chosen)
    return [migration.id for migration in chosen]
