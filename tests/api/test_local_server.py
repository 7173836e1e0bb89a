"""The local HTTP server end to end: real sockets, real handlers, real database."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from alpha_monday_local import openapi
from alpha_monday_local.server import LocalApi, make_server
from tests.builders import seed_batches


@pytest.fixture
def base_url(database_url: str, template: dict[str, Any]) -> Iterator[str]:
    server = make_server(LocalApi(template), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def _get(url: str, method: str = "GET") -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_paging_over_http_visits_every_batch_once(base_url: str, conn: psycopg.Connection) -> None:
    # Given 7 batches
    seeded = seed_batches(conn, 7, checkpoints_each=1)
    # When a client follows next_cursor with limit=3
    seen: list[str] = []
    url = f"{base_url}/batches?limit=3"
    while True:
        status, body = _get(url)
        assert status == 200
        seen.extend(item["id"] for item in body["items"])
        if body["next_cursor"] is None:
            break
        url = f"{base_url}/batches?limit=3&cursor={body['next_cursor']}"
    # Then it saw each batch exactly once, newest first
    assert seen == [str(d.batch.id) for d in reversed(seeded)]


def test_unknown_route_and_method_are_json_errors(base_url: str) -> None:
    assert _get(f"{base_url}/nowhere") == (
        404,
        {"error": {"code": "not_found", "message": "no route for GET /nowhere"}},
    )
    status, body = _get(f"{base_url}/health", method="DELETE")
    assert status == 405
    assert body["error"]["code"] == "method_not_allowed"


def test_schemathesis_finds_nothing_against_the_committed_document(
    base_url: str, conn: psycopg.Connection, tmp_path: Path
) -> None:
    # Given a database with batches for the stateful phase to discover
    seed_batches(conn, 3, checkpoints_each=2)
    # When schemathesis runs every standard check against the local server
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "schemathesis"),
            "run",
            str(openapi.OPENAPI_PATH),
            "--url",
            base_url,
            "--checks",
            "all",
            "--max-examples",
            "25",
            "--workers",
            "1",
            "--seed",
            "20261122",
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=240,
        cwd=tmp_path,
    )
    # Then it reports no failure
    assert result.returncode == 0, result.stdout[-4000:]
    assert "No issues found" in result.stdout
