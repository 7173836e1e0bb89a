"""The local tools as a developer meets them: a busy port, --help, PORT, a database stopped
under a client, a resumed batch and a run that died."""

from __future__ import annotations

import argparse
import socket
import subprocess
import time
from pathlib import Path

import psycopg
import pytest

from alpha_monday.db.batches import set_batch_status
from alpha_monday.db.events import list_events
from alpha_monday_local import embedded_db
from alpha_monday_local.cli import build_parser, main
from alpha_monday_local.paths import PROJECT_ROOT

JUNE_1 = "2026-06-01"


def test_serve_on_a_busy_port_says_so_in_one_line(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a port some other program listens on
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        # When the API is served on it
        code = main(["serve", "--port", str(port)])
    # Then one line says so and how to choose another port; no traceback
    err = capsys.readouterr().err
    assert code == 1
    (line,) = err.strip().splitlines()
    assert f"port {port} on 127.0.0.1 is in use" in line
    assert "--port" in line


def _subparsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:  # argparse offers no public walk of its subcommands
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found.extend(_subparsers(child))
    return found


def test_every_option_with_a_default_shows_it_in_help() -> None:
    for parser in _subparsers(build_parser()):
        text = parser.format_help()
        for action in parser._actions:
            if action.default in (None, False, argparse.SUPPRESS) or not action.option_strings:
                continue
            assert f"(default: {action.default})" in " ".join(text.split()), (
                parser.prog,
                action.dest,
            )
    serve = next(p for p in _subparsers(build_parser()) if p.prog.endswith(" serve"))
    assert "(default: 3000)" in serve.format_help()


def test_make_run_and_make_serve_take_a_port() -> None:
    for target in ("run", "serve"):
        dry_run = subprocess.run(
            ["make", "-n", target, "PORT=3999"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        assert "alpha-monday serve --port 3999" in dry_run.stdout


@pytest.mark.slow
def test_db_down_with_a_connected_client_stops_in_seconds_and_starts_again(
    tmp_path: Path,
) -> None:
    # Given an embedded server with a client connected to it
    pgdata = tmp_path / "pgdata"
    uri = embedded_db.server_uri(pgdata)
    client = psycopg.connect(uri, autocommit=True)
    client.execute("SELECT 1")
    # When it is stopped
    started = time.monotonic()
    assert embedded_db.stop_server(pgdata)
    # Then it stopped within seconds (a smart shutdown waited 30 s for the client)
    assert time.monotonic() - started < 5
    client.close()
    # And the next command starts it again
    again = embedded_db.server_uri(pgdata)
    with psycopg.connect(again) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    embedded_db.stop_server(pgdata)


def test_run_week_resumes_a_failed_batch(
    database_url: str, conn: psycopg.Connection, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a recorded Monday whose batch failed
    assert main(["run-week", "--date", JUNE_1]) == 0
    (batch_id,) = conn.execute("SELECT id FROM batches").fetchone() or ()
    conn.execute("DELETE FROM pick_checkpoint_metrics")  # nothing of the last days survives
    conn.execute(
        "DELETE FROM checkpoints WHERE checkpoint_date > '2026-06-10'"
    )  # (a failure that stopped on June 10th)
    set_batch_status(conn, batch_id, "failed", from_status="completed")
    capsys.readouterr()
    # When run-week resumes it
    code = main(["run-week", "--resume", str(batch_id)])
    # Then the fortnight is whole again and the batch completed, with the resume on record
    out = capsys.readouterr().out
    assert code == 0, out
    assert "batch completed" in out
    status = conn.execute("SELECT status FROM batches").fetchone()
    assert status == ("completed",)
    days = conn.execute("SELECT count(*) FROM checkpoints WHERE checkpoint_date >= %s", (JUNE_1,))
    assert days.fetchone() == (14,)
    assert "batch_resumed" in [event.event_type for event in list_events(conn, batch_id)]


def test_run_week_refuses_to_resume_an_unknown_batch_in_one_line(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["run-week", "--resume", "3f8c2a4e-2b1d-4c59-9a0e-6d1f3b7c8e90"])
    assert code == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "there is no batch 3f8c2a4e-2b1d-4c59-9a0e-6d1f3b7c8e90 to resume" in line


@pytest.mark.parametrize(("pid", "swept"), [(99_999_999, True), (None, False)])
def test_a_batch_left_active_by_a_dead_local_run_is_failed_on_the_next_start(
    database_url: str,
    conn: psycopg.Connection,
    capsys: pytest.CaptureFixture[str],
    pid: int | None,
    swept: bool,
) -> None:
    # Given a batch left active by a local run (its process gone, or this very one alive)
    assert main(["run-week", "--date", JUNE_1]) == 0
    (batch_id,) = conn.execute("SELECT id FROM batches").fetchone() or ()
    set_batch_status(conn, batch_id, "active", from_status="completed")
    tracker = f"local-{pid or __import__('os').getpid()}-0a1b2c3d4e5f"
    conn.execute("UPDATE batches SET execution_name = %s", (tracker,))
    capsys.readouterr()
    # When run-week starts again
    main(["run-week", "--date", JUNE_1])
    out = capsys.readouterr().out
    # Then a dead run's batch is failed, with the reason in events, and said so; a live one's
    # is left alone
    status = conn.execute("SELECT status FROM batches").fetchone()
    failures = [e for e in list_events(conn, batch_id) if e.event_type == "batch_failed"]
    if swept:
        assert status == ("failed",)
        (failure,) = failures
        assert failure.payload["error"] == "LocalRunAbandoned"
        assert failure.payload["execution_name"] == tracker
        assert f"run-week --resume {batch_id}" in out
    else:
        assert status == ("active",)
        assert failures == []


def test_a_migration_lock_left_by_a_dead_process_is_cleared_in_one_line(
    database_url: str, conn: psycopg.Connection, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given the lock row a run killed mid-migration leaves behind (no session holds it)
    conn.execute("INSERT INTO yoyo_lock (locked, ctime, pid) VALUES (1, now(), 99999999)")
    # When the migrations are asked for
    code = main(["db", "migrate"])
    # Then they run, and one line on stderr says which stale lock was cleared
    captured = capsys.readouterr()
    assert code == 0, captured.err
    (line,) = captured.err.strip().splitlines()
    assert line.startswith("alpha-monday: cleared a stale migration lock: process 99999999")
    assert conn.execute("SELECT count(*) FROM yoyo_lock").fetchone() == (0,)


def test_db_url_read_only_prints_only_the_url_so_psql_can_take_it(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["db", "url", "--read-only"])
    out = capsys.readouterr().out
    assert code == 0
    (line,) = out.strip().splitlines()
    assert line.startswith("postgresql://alpha_monday_api")
