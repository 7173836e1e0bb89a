"""A real PostgreSQL 16 in a project-local folder, through the pgserver package.

Used only when DATABASE_URL is not set. The server outlives the command that started it
(so `db up` then `serve` share it) and is reused by the next command.
"""

from __future__ import annotations

import os
import signal
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psutil
import psycopg
from psycopg import sql

from alpha_monday.domain.errors import DatabaseUnavailable

DATABASE_NAME = "alpha_monday"
FAST_SHUTDOWN_SECONDS = 10


def _remove_stale_pid_file(pgdata: Path) -> None:
    """Drop a postmaster.pid whose process is gone or is no longer a postgres server.

    pgserver treats any live process with the recorded pid as the server; after a kill
    and a pid reuse it would hand out the URI of a server that does not exist.
    """
    pid_file = pgdata / "postmaster.pid"
    if not pid_file.exists():
        return
    first_line = pid_file.read_text().splitlines()[:1]
    pid = int(first_line[0]) if first_line and first_line[0].strip().isdigit() else None
    try:
        alive_postgres = pid is not None and psutil.Process(pid).name().startswith("postgres")
    except psutil.Error:
        alive_postgres = False
    if not alive_postgres:
        pid_file.unlink()


def server_uri(pgdata: Path) -> str:
    """Start (or reuse) the embedded server in `pgdata`; returns its `postgres` database URI."""
    with warnings.catch_warnings():
        # platformdirs warns that XDG_RUNTIME_DIR is unset on servers; /tmp is fine here.
        warnings.simplefilter("ignore")
        # Dev-only dependency, imported only when the embedded server is actually used.
        import pgserver  # noqa: PLC0415

    pgdata.mkdir(parents=True, exist_ok=True)
    _remove_stale_pid_file(pgdata)
    try:
        server = pgserver.get_server(pgdata, cleanup_mode=None)
        # get_server hands back its in-process handle even if the server stopped since.
        server.ensure_postgres_running()
    except (AssertionError, OSError, RuntimeError) as error:
        # pgserver's own checks are bare assertions: say what did not start, and where.
        raise DatabaseUnavailable(
            f"the embedded PostgreSQL in {pgdata} did not start ({type(error).__name__}: "
            f"{error or 'no detail'}); stop it with `alpha-monday db down`, or remove "
            f"{pgdata / 'postmaster.pid'} if no postgres process runs"
        ) from error
    return str(server.get_uri())


def database_uri(server: str, name: str) -> str:
    """The URI of database `name` on the server whose maintenance URI is `server`."""
    return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))


def create_database(server: str, name: str, *, replace: bool = False) -> str:
    if replace:
        drop_database(server, name)
    with psycopg.connect(server, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return database_uri(server, name)


def drop_database(server: str, name: str) -> None:
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def local_database_url(pgdata: Path) -> str:
    """DATABASE_URL when set; otherwise the embedded server's project database."""
    configured = os.environ.get("DATABASE_URL", "").strip()
    if configured:
        return configured
    return create_database(server_uri(pgdata), DATABASE_NAME)


READER_ROLE = "alpha_monday_reader"
API_LOGIN = "alpha_monday_api"


def read_only_url(database_url: str) -> str:
    """The URL of `database_url`'s database for the read API's login role (a member of the
    read-only role migration 0012 creates), made here if missing. Locally the embedded
    server trusts its socket, so the login needs no password."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (API_LOGIN,)).fetchone()
        if exists is None:
            conn.execute(
                sql.SQL("CREATE ROLE {} LOGIN IN ROLE {}").format(
                    sql.Identifier(API_LOGIN), sql.Identifier(READER_ROLE)
                )
            )
    parts = urlsplit(database_url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{API_LOGIN}@{host}"))


def stop_server(pgdata: Path) -> bool:
    """Stop the embedded server if one runs in `pgdata`; True when one was stopped."""
    pid_file = pgdata / "postmaster.pid"
    if not pid_file.exists():
        return False
    _remove_stale_pid_file(pgdata)
    if not pid_file.exists():
        return False
    pid = int(pid_file.read_text().splitlines()[0])
    process = psutil.Process(pid)
    # SIGINT is postgres' "fast" shutdown: connected clients are disconnected and the
    # server stops cleanly at once (SIGTERM's "smart" one waits for every client to leave).
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=FAST_SHUTDOWN_SECONDS)
    except psutil.TimeoutExpired:
        process.send_signal(signal.SIGQUIT)  # "immediate": recovery runs on the next start
        process.wait(timeout=FAST_SHUTDOWN_SECONDS)
    return True
