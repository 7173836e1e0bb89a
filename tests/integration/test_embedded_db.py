"""The embedded server survives a killed owner and a stale pid file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import psycopg
import pytest

from alpha_monday_local import embedded_db


@pytest.fixture
def pgdata(tmp_path: Path) -> Path:
    folder = tmp_path / "pgdata"
    yield folder
    embedded_db.stop_server(folder)


def _postmaster_pid(pgdata: Path) -> int:
    return int((pgdata / "postmaster.pid").read_text().splitlines()[0])


def test_server_starts_and_is_reused(pgdata: Path) -> None:
    # Given a server started in a folder
    uri = embedded_db.server_uri(pgdata)
    pid = _postmaster_pid(pgdata)
    # When it is asked for again
    again = embedded_db.server_uri(pgdata)
    # Then the same server answers
    assert again == uri
    assert _postmaster_pid(pgdata) == pid
    with psycopg.connect(uri) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_start_after_the_server_was_killed(pgdata: Path) -> None:
    # Given a server started by another process, then killed with SIGKILL (no clean shutdown)
    subprocess.run(
        [
            sys.executable,
            "-c",
            f"from alpha_monday_local import embedded_db as e; "
            f"e.server_uri(__import__('pathlib').Path({str(pgdata)!r}))",
        ],
        check=True,
    )
    pid = _postmaster_pid(pgdata)
    os.kill(pid, signal.SIGKILL)
    psutil.Process(pid).wait(timeout=10) if psutil.pid_exists(pid) else None
    # When the next command starts it
    uri = embedded_db.server_uri(pgdata)
    # Then a working server is there
    with psycopg.connect(uri) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_start_with_a_pid_file_naming_a_reused_pid(pgdata: Path) -> None:
    # Given a stopped server whose postmaster.pid names a live process that is not postgres
    embedded_db.server_uri(pgdata)
    pid_file = pgdata / "postmaster.pid"
    lines = pid_file.read_text().splitlines()
    embedded_db.stop_server(pgdata)
    lines[0] = str(os.getpid())
    pid_file.write_text("\n".join(lines) + "\n")
    # When it is started again
    uri = embedded_db.server_uri(pgdata)
    # Then the stale file does not fool it
    with psycopg.connect(uri) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
