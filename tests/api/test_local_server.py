"""The local HTTP server end to end: real sockets, real handlers, real database."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote
from uuid import UUID

import psycopg
import pytest

from alpha_monday.api.caching import CACHE_CHANGING
from alpha_monday.config import reset_settings_cache
from alpha_monday_local import openapi
from tests.builders import seed_batches


@pytest.fixture
def base_url(database_url: str, serve_api: Callable[[], str]) -> str:
    return serve_api()


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


def _exchange(
    url: str, method: str = "GET", origin: str = "https://a.example"
) -> tuple[int, Any, Any]:
    request = urllib.request.Request(url, method=method, headers={"Origin": origin})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read())


@pytest.fixture
def two_origins(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Two allowed origins, as a cold start reads them (the server loads each handler anew)."""
    monkeypatch.setenv("CORS_ALLOW_ORIGINS", "https://a.example,https://b.example")
    reset_settings_cache()
    yield
    monkeypatch.delenv("CORS_ALLOW_ORIGINS")
    reset_settings_cache()


@pytest.mark.parametrize(
    ("path", "method", "status", "code"),
    [
        ("/nowhere", "GET", 404, "not_found"),
        ("/health", "DELETE", 405, "method_not_allowed"),
        ("/batches?limit=0", "GET", 400, "invalid_request"),
        (f"/batches/{UUID(int=7)}", "GET", 404, "not_found"),
    ],
)
@pytest.mark.usefixtures("two_origins")
def test_every_error_has_the_same_body_cache_control_and_cors_headers(
    base_url: str, path: str, method: str, status: int, code: str
) -> None:
    # When a browser on the second allowed origin gets an error, routed or not
    got, headers, body = _exchange(base_url + path, method, origin="https://b.example")
    # Then it has the error body, is never cached, and carries that origin's CORS headers
    assert got == status
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert headers["Cache-Control"] == "no-store"
    assert headers["Access-Control-Allow-Origin"] == "https://b.example"
    assert headers["Vary"] == "Origin"


def test_a_cacheable_answer_varies_by_origin(
    two_origins: None, base_url: str, conn: psycopg.Connection
) -> None:
    seed_batches(conn, 1)
    for origin in ("https://a.example", "https://b.example"):
        status, headers, _ = _exchange(f"{base_url}/latest", origin=origin)
        assert status == 200
        assert headers["Cache-Control"] == CACHE_CHANGING
        assert headers["Access-Control-Allow-Origin"] == origin
        assert headers["Vary"] == "Origin"


def test_paths_are_percent_decoded(base_url: str, conn: psycopg.Connection) -> None:
    (detail,) = seed_batches(conn, 1)
    encoded = str(detail.batch.id).replace("-", "%2D")
    status, _, body = _exchange(f"{base_url}/batches/{encoded}")
    assert status == 200
    assert body["id"] == str(detail.batch.id)
    assert _exchange(f"{base_url}/%68ealth")[0] == 200


@pytest.mark.parametrize(
    "form",
    [
        lambda u: str(u).upper(),
        lambda u: "{" + str(u) + "}",
        lambda u: u.hex,
        lambda u: u.urn,
    ],
    ids=["uppercase", "braces", "no-dashes", "urn"],
)
def test_one_batch_has_one_url(base_url: str, conn: psycopg.Connection, form: Any) -> None:
    # Given a batch, asked for by another spelling of its id
    (detail,) = seed_batches(conn, 1)
    status, headers, body = _exchange(f"{base_url}/batches/{quote(form(detail.batch.id))}")
    # Then the answer is a 400 naming the canonical form, never cached
    assert status == 400
    assert "canonical form" in body["error"]["message"]
    assert headers["Cache-Control"] == "no-store"


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


def _raw_request(base_url: str, request: bytes) -> bytes:
    """Sends bytes as they are (no client would send these headers) and reads the answer."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize(
    ("length", "status", "code"),
    [
        ("abc", 400, "invalid_request"),
        ("1e3", 400, "invalid_request"),
        ("-1", 400, "invalid_request"),
        ("", 400, "invalid_request"),
        ("99999999999999999999", 413, "payload_too_large"),
    ],
)
def test_a_bad_content_length_is_a_json_error_and_the_server_goes_on(
    base_url: str, length: str, status: int, code: str
) -> None:
    # Given a request whose Content-Length is not a byte count
    request = (
        f"POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n"
    ).encode()
    # When it is sent
    answer = _raw_request(base_url, request)
    # Then the answer is the error body, at once (no hang, no dropped connection)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.split(b" ")[1] == str(status).encode(), answer
    error = json.loads(body)["error"]
    assert error["code"] == code
    assert "Content-Length" in error["message"]
    # And the server goes on answering
    assert _get(f"{base_url}/health")[0] in (200, 503)
