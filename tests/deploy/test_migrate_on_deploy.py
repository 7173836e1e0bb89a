"""The migrate Lambda: as a CloudFormation custom resource, and invoked directly."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import psycopg
import pytest

from alpha_monday.config import reset_settings_cache
from alpha_monday_local.lambda_context import LocalLambdaContext
from alpha_monday_local.paths import SHARED_DIR
from alpha_monday_local.template import functions, load_handler

Responses = list[dict[str, Any]]


@pytest.fixture
def cloudformation() -> Iterator[tuple[str, Responses]]:
    """A stand-in for CloudFormation's pre-signed response URL, on loopback."""
    received: Responses = []

    class Receiver(BaseHTTPRequestHandler):
        def do_PUT(self) -> None:
            length = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/response", received
    server.shutdown()
    server.server_close()


@pytest.fixture
def migrate(
    create_fresh_database: Callable[[], str], monkeypatch: pytest.MonkeyPatch, template: Any
) -> Iterator[tuple[str, Callable[[dict[str, Any]], dict[str, Any]]]]:
    """The migrate handler pointed at a brand-new, empty database."""
    url = create_fresh_database()
    monkeypatch.setenv("DATABASE_URL", url)
    reset_settings_cache()
    handler = load_handler(functions(template)["MigrateFunction"])
    yield url, lambda event: handler(event, LocalLambdaContext("MigrateFunction", "test"))
    reset_settings_cache()


def _point_at_an_unreachable_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://deployer:hunter2@127.0.0.1:9/alpha")
    monkeypatch.setenv("DATABASE_CONNECT_TIMEOUT_SECONDS", "1")
    reset_settings_cache()


def _event(request_type: str, response_url: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads(
        (SHARED_DIR / "events/migrate_custom_resource_create.json").read_text()
    )
    return event | {"RequestType": request_type, "ResponseURL": response_url}


def _tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchall()
    return {row[0] for row in rows}


def test_create_migrates_and_answers_success(
    migrate: tuple[str, Any], cloudformation: tuple[str, Responses]
) -> None:
    url, invoke = migrate
    response_url, received = cloudformation
    invoke(_event("Create", response_url))
    (answer,) = received
    assert answer["Status"] == "SUCCESS"
    assert answer["PhysicalResourceId"] == "alpha-monday-database-migrations"
    assert answer["LogicalResourceId"] == "DatabaseMigrations"
    assert answer["Data"]["Applied"].startswith("0001_batches,0002_picks")
    assert {"batches", "picks", "checkpoints", "prices"} <= _tables(url)
    # And it reports what the server itself allows, beside the template's budget
    assert int(answer["Data"]["ServerConnections"]) > 0


def test_read_concurrency_beyond_the_connection_budget_fails_the_deploy_unmigrated(
    migrate: tuple[str, Any], cloudformation: tuple[str, Responses]
) -> None:
    url, invoke = migrate
    response_url, received = cloudformation
    # Given a template whose six read functions could hold 6 x 20 + 5 = 125 connections
    event = _event("Create", response_url)
    event["ResourceProperties"] |= {
        "ReadFunctionConcurrency": "20",
        "DatabaseMaxConnections": "100",
    }
    # When it is deployed
    invoke(event)
    # Then the deploy fails, saying what would fit, and nothing was migrated
    (answer,) = received
    assert answer["Status"] == "FAILED"
    assert "125 connections" in answer["Reason"]
    assert "ReadFunctionConcurrency to 15 or less" in answer["Reason"]
    assert "batches" not in _tables(url)


def test_a_second_deploy_is_a_no_op(
    migrate: tuple[str, Any], cloudformation: tuple[str, Responses]
) -> None:
    _, invoke = migrate
    response_url, received = cloudformation
    invoke(_event("Create", response_url))
    invoke(_event("Update", response_url))
    assert [r["Status"] for r in received] == ["SUCCESS", "SUCCESS"]
    assert received[1]["Data"]["Applied"] == "none"


def test_deleting_the_stack_keeps_the_data(
    migrate: tuple[str, Any], cloudformation: tuple[str, Responses]
) -> None:
    url, invoke = migrate
    response_url, received = cloudformation
    invoke(_event("Create", response_url))
    invoke(_event("Delete", response_url))
    assert received[-1]["Status"] == "SUCCESS"
    assert "batches" in _tables(url)


def test_a_failed_migration_fails_the_deploy_without_leaking_the_url(
    migrate: tuple[str, Any],
    cloudformation: tuple[str, Responses],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, invoke = migrate
    response_url, received = cloudformation
    _point_at_an_unreachable_database(monkeypatch)
    invoke(_event("Update", response_url))
    (answer,) = received
    assert answer["Status"] == "FAILED"
    assert answer["Reason"]
    assert "hunter2" not in answer["Reason"]


def test_direct_invocation_migrates_and_fails_loudly(
    migrate: tuple[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, invoke = migrate
    first = invoke({})
    assert first["status"] == "SUCCESS"
    assert "0007_provider_call_budget" in first["applied"]
    assert invoke({})["applied"] == []
    _point_at_an_unreachable_database(monkeypatch)
    with pytest.raises(RuntimeError, match="migrations failed"):
        invoke({})
