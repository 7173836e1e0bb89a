"""Shared fixtures: a real PostgreSQL for the session, a clean database for each test.

With TEST_DATABASE_URL (or DATABASE_URL) set, the tests create their own databases on that
server; otherwise an embedded server (pgserver) runs in a temporary folder.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest

from alpha_monday.config import reset_settings_cache
from alpha_monday.db.connection import close_connection
from alpha_monday.db.migrations import MIGRATIONS_DIR, apply_migrations
from alpha_monday_local import embedded_db
from alpha_monday_local.server import LocalApi, make_server
from alpha_monday_local.template import load_template

DOMAIN_TABLES = (
    "events",
    "pick_checkpoint_metrics",
    "pick_checkpoint_skips",
    "batch_corporate_actions",
    "corporate_actions",
    "corporate_action_lookups",
    "checkpoints",
    "picks",
    "entries",
    "batches",
    "prices",
    "provider_call_budget",
    # Emptied with the triggers off (below), so the answers kept for them go too.
    "stored_answers",
)


@pytest.fixture(scope="session")
def template() -> dict[str, Any]:
    return load_template()


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    external = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if external:
        yield external
        return
    pgdata = tmp_path_factory.mktemp("pgdata")
    yield embedded_db.server_uri(pgdata)
    embedded_db.stop_server(pgdata)


@pytest.fixture(scope="session")
def create_fresh_database(postgres_server: str) -> Iterator[Callable[[], str]]:
    """Makes empty databases of the test session's own, dropped when the session ends."""
    created: list[str] = []

    def create() -> str:
        name = f"alpha_monday_test_{uuid.uuid4().hex[:12]}"
        created.append(name)
        return embedded_db.create_database(postgres_server, name)

    yield create
    for name in created:
        embedded_db.drop_database(postgres_server, name)


@pytest.fixture(scope="session")
def migrated_database_url(create_fresh_database: Callable[[], str]) -> str:
    url = create_fresh_database()
    apply_migrations(url, MIGRATIONS_DIR)
    return url


def empty_database(url: str) -> None:
    """Every domain table emptied, as a fresh test database has them."""
    with psycopg.connect(url) as conn:
        # Only a test may empty `events`: its TRUNCATE trigger is bypassed for this
        # transaction (the test server's user is a superuser).
        conn.execute("SET LOCAL session_replication_role = replica")
        conn.execute(f"TRUNCATE {', '.join(DOMAIN_TABLES)}")


@pytest.fixture
def database_url(migrated_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The migrated test database, emptied, and configured as the application's DATABASE_URL."""
    empty_database(migrated_database_url)
    monkeypatch.setenv("DATABASE_URL", migrated_database_url)
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    reset_settings_cache()
    close_connection()
    yield migrated_database_url
    close_connection()
    reset_settings_cache()


@pytest.fixture
def conn(database_url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(database_url, autocommit=True) as connection:
        yield connection


@pytest.fixture
def serve_api(template: dict[str, Any]) -> Iterator[Callable[[], str]]:
    """Serves the read API and the pages over real HTTP on a free port (call it once the
    database holds what should be served); the base URL."""
    servers = []

    def start() -> str:
        server = make_server(LocalApi(template), "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
