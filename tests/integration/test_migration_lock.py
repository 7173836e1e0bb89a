"""A migration killed half way must not wedge the database; a live one must keep its lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from alpha_monday.db.migrations import MIGRATIONS_DIR, apply_migrations
from alpha_monday.domain.errors import MigrationsLocked

pytestmark = pytest.mark.slow

# A migration that takes its time, so a process can be caught (and killed) inside it.
SLOW_MIGRATION = "SELECT pg_sleep({seconds});\n"
MIGRATE_IN_CHILD = (
    "import sys; from pathlib import Path;"
    " from alpha_monday.db.migrations import apply_migrations;"
    " apply_migrations(sys.argv[1], Path(sys.argv[2]))"
)


def _lock_holder(url: str) -> int | None:
    with psycopg.connect(url) as conn:
        exists = conn.execute("SELECT to_regclass('yoyo_lock') IS NOT NULL").fetchone()
        if not exists or not exists[0]:
            return None
        row = conn.execute("SELECT pid FROM yoyo_lock").fetchone()
    return None if row is None else int(row[0])


def _wait_for(condition: Callable[[], bool], what: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@contextmanager
def _migration_in_progress(
    url: str, tmp_path: Path, seconds: float = 60
) -> Iterator[subprocess.Popen[bytes]]:
    """Another process inside a slow migration, holding the lock."""
    slow = tmp_path / "migrations"
    slow.mkdir()
    (slow / "0001_slow.sql").write_text(SLOW_MIGRATION.format(seconds=seconds))
    (slow / "0001_slow.rollback.sql").write_text("SELECT 1;\n")
    child = subprocess.Popen([sys.executable, "-c", MIGRATE_IN_CHILD, url, str(slow)])
    try:
        _wait_for(lambda: _lock_holder(url) == child.pid, "the child to take the lock")
        yield child
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()


def _other_sessions(url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT pid, backend_type, state, left(query, 60) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()


def _no_other_session(url: str) -> bool:
    """True once the server ended every other client's session on the database (and so its
    locks); the server's own workers (autovacuum) do not count."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        ).fetchone()
    return row is not None and row[0] == 0


def test_a_migration_killed_half_way_leaves_a_lock_that_the_next_run_clears(
    create_fresh_database: Callable[[], str], tmp_path: Path
) -> None:
    # Given a migration killed with SIGKILL while it held the lock
    url = create_fresh_database()
    with _migration_in_progress(url, tmp_path) as child:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert _lock_holder(url) == child.pid  # the dead process's row is still there
    # (the server is asked to notice a dead client within a second, even mid-statement; at
    # the latest it does when the migration's statement ends)
    try:
        _wait_for(lambda: _no_other_session(url), "the server to end the dead session", 75)
    except AssertionError as error:
        raise AssertionError(f"{error}: {_other_sessions(url)}") from None
    said: list[str] = []

    # When migrations run again
    applied = apply_migrations(url, MIGRATIONS_DIR, on_stale_lock=said.append)

    # Then the stale lock was cleared with one line naming the gone process, and every
    # migration applied
    assert applied[0] == "0001_batches"
    assert len(said) == 1
    assert f"process {child.pid}" in said[0]
    assert "stale" in said[0]
    assert _lock_holder(url) is None


def test_a_lock_held_by_a_live_migration_is_never_broken(
    create_fresh_database: Callable[[], str], tmp_path: Path
) -> None:
    # Given another process in the middle of a migration
    url = create_fresh_database()
    with _migration_in_progress(url, tmp_path) as child:
        said: list[str] = []
        # When migrations are asked for meanwhile
        started = time.monotonic()
        with pytest.raises(MigrationsLocked, match=f"process {child.pid}"):
            apply_migrations(url, MIGRATIONS_DIR, lock_wait_seconds=1, on_stale_lock=said.append)
        # Then it waited its turn for about the time given, broke nothing and said nothing
        assert 1 <= time.monotonic() - started < 10
        assert said == []
        assert _lock_holder(url) == child.pid
        assert child.poll() is None


def test_a_second_run_waits_for_a_live_migration_then_goes_on(
    create_fresh_database: Callable[[], str], tmp_path: Path
) -> None:
    # Given a migration in progress that ends on its own in about two seconds
    url = create_fresh_database()
    with _migration_in_progress(url, tmp_path, seconds=2) as child:
        said: list[str] = []
        # When migrations are asked for meanwhile, with time to wait
        applied = apply_migrations(
            url, MIGRATIONS_DIR, lock_wait_seconds=30, on_stale_lock=said.append
        )
        # Then they ran after the other one had finished cleanly, with nothing to clear
        assert child.wait(timeout=10) == 0
    assert applied[0] == "0001_batches"
    assert said == []
    assert _lock_holder(url) is None
