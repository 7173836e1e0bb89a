"""Each route through its Lambda handler with API Gateway events."""

from __future__ import annotations

import dataclasses
import json
import time
import uuid
from datetime import timedelta
from decimal import Decimal

import psycopg
import pytest

from alpha_monday.api.caching import CACHE_CHANGING, CACHE_COMPLETED
from alpha_monday.config import reset_settings_cache
from alpha_monday.db.batches import set_batch_status
from alpha_monday.db.checkpoints import record_checkpoint
from alpha_monday.db.connection import close_connection
from alpha_monday.domain.model import PickSkip
from tests.api.conftest import Call
from tests.builders import FIRST_MONDAY, computed_checkpoint, seed_batches, skipped_checkpoint


def _assert_error(body: dict[str, object], code: str) -> None:
    assert set(body) == {"error"}
    error = body["error"]
    assert isinstance(error, dict)
    assert error["code"] == code
    assert isinstance(error["message"], str)
    assert error["message"]


def test_health_is_ok_when_the_database_answers(call_api: Call) -> None:
    response = call_api("/health")
    assert response.status == 200
    assert response.body == {"status": "ok", "database": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_latest_is_404_when_there_are_no_batches(call_api: Call) -> None:
    response = call_api("/latest")
    assert response.status == 404
    _assert_error(response.body, "not_found")


def test_latest_returns_the_newest_batch_in_detail(
    call_api: Call, conn: psycopg.Connection
) -> None:
    # Given three batches, the newest with a baseline and two computed checkpoints
    seeded = seed_batches(conn, 3, checkpoints_each=2)
    newest = seeded[-1]
    # When /latest is read
    response = call_api("/latest")
    # Then it is the newest batch with picks, checkpoints in order and exact decimals
    assert response.status == 200
    body = response.body
    assert body["id"] == str(newest.batch.id)
    assert body["run_date"] == newest.batch.run_date.isoformat()
    assert body["benchmark_initial_price"] == "400.00"
    assert [p["ticker"] for p in body["picks"]] == ["AAPL", "MSFT", "NVDA"]
    (entry,) = body["entries"]
    assert entry | {"id": None} == {
        "id": None,
        "contender": "test-model",
        "kind": "model",
        "model": "test-model",
        "prompt_version": "test-prompt-1",
        "error": None,
        "control": None,
        "stability": None,
    }
    assert body["picks"][1] | {"id": None} == {
        "id": None,
        "entry_id": entry["id"],
        "ticker": "MSFT",
        "action": "SELL",
        "reasoning": "MSFT looks sell-worthy",
        "initial_price": "200.00",
        "split_adjustments": [],
        "dividends": [],
    }
    dates = [c["checkpoint_date"] for c in body["checkpoints"]]
    assert dates == sorted(dates)
    baseline, first, _ = body["checkpoints"]
    assert baseline["is_baseline"] is True
    assert baseline["benchmark_return_pct"] is None
    assert baseline["metrics"] == []
    assert first["is_baseline"] is False
    assert first["benchmark_return_pct"] == "1.000000"
    assert first["metrics"][0]["ticker"] == "AAPL"
    assert first["metrics"][0]["current_price"] == "101.50000"
    assert response.headers["Cache-Control"] == CACHE_CHANGING


def test_batches_is_an_empty_page_when_there_are_none(call_api: Call) -> None:
    response = call_api("/batches")
    assert response.status == 200
    assert response.body == {"items": [], "next_cursor": None}


def test_batches_lists_summaries_newest_first_with_latest_returns(
    call_api: Call, conn: psycopg.Connection
) -> None:
    seed_batches(conn, 3, checkpoints_each=2)
    response = call_api("/batches?limit=2")
    assert response.status == 200
    first, second = response.body["items"]
    assert first["run_date"] > second["run_date"]
    (entry,) = first["entries"]
    assert first["picks"] == [
        {"entry_id": entry["id"], "ticker": "AAPL", "action": "BUY"},
        {"entry_id": entry["id"], "ticker": "MSFT", "action": "SELL"},
        {"entry_id": entry["id"], "ticker": "NVDA", "action": "BUY"},
    ]
    latest = first["latest_checkpoint"]
    assert latest["benchmark_return_pct"] == "1.000000"
    assert [m["vs_benchmark_pct"] for m in latest["metrics"]] == ["0.500000"] * 3
    assert response.body["next_cursor"] == second["run_date"]


def test_a_summary_says_exactly_what_the_detail_says(
    call_api: Call, conn: psycopg.Connection
) -> None:
    # Given a batch with computed days, one pick left out on the last of them
    (detail,) = seed_batches(conn, 1, checkpoints_each=2)
    day = computed_checkpoint(detail, FIRST_MONDAY + timedelta(days=2))
    nvda = next(p.id for p in detail.picks if p.ticker == "NVDA")
    record_checkpoint(
        conn,
        detail.batch.id,
        dataclasses.replace(
            day,
            scores=tuple(s for s in day.scores if s.pick_id != nvda),
            left_out=(PickSkip(pick_id=nvda, ticker="NVDA", reason="symbol unknown: NVDA"),),
        ),
    )
    # When the list and the batch are read
    (summary,) = call_api("/batches").body["items"]
    full = call_api(f"/batches/{detail.batch.id}").body
    # Then every field they share is the same text, and the summary's returns are the
    # detail's last computed day
    shared = set(summary) - {"picks", "latest_checkpoint"}
    assert {key: summary[key] for key in shared} == {key: full[key] for key in shared}
    assert summary["picks"] == [
        {"entry_id": p["entry_id"], "ticker": p["ticker"], "action": p["action"]}
        for p in full["picks"]
    ]
    last = full["checkpoints"][-1]
    assert summary["latest_checkpoint"] == {
        "checkpoint_date": last["checkpoint_date"],
        "benchmark_return_pct": last["benchmark_return_pct"],
        "metrics": last["metrics"],
    }
    assert [m["ticker"] for m in last["metrics"]] == ["AAPL", "MSFT"]


def test_batches_cursor_continues_with_older_batches(
    call_api: Call, conn: psycopg.Connection
) -> None:
    seed_batches(conn, 3, checkpoints_each=0)
    first_page = call_api("/batches?limit=2").body
    second_page = call_api(f"/batches?limit=2&cursor={first_page['next_cursor']}").body
    assert [i["run_date"] for i in second_page["items"]] == [FIRST_MONDAY.isoformat()]
    assert second_page["next_cursor"] is None


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=101",
        "limit=abc",
        "limit=",
        "cursor=0",
        "cursor=2026-13-01",
        "cursor=djE6MjAyNi0wMS0wNQ",
        "cursor=2026-01-05T00:00:00",
    ],
)
def test_bad_limit_or_cursor_is_400(call_api: Call, query: str) -> None:
    response = call_api(f"/batches?{query}")
    assert response.status == 400
    _assert_error(response.body, "invalid_request")
    assert response.headers["Cache-Control"] == "no-store"


def test_batch_detail_by_id(call_api: Call, conn: psycopg.Connection) -> None:
    (detail,) = seed_batches(conn, 1, checkpoints_each=1)
    response = call_api(f"/batches/{detail.batch.id}")
    assert response.status == 200
    assert response.body["id"] == str(detail.batch.id)
    assert len(response.body["checkpoints"]) == 2


@pytest.mark.parametrize("batch_id", ["not-a-uuid", "1234", "00000000-0000-0000-0000-00000000000g"])
def test_malformed_batch_id_is_400(call_api: Call, batch_id: str) -> None:
    response = call_api(f"/batches/{batch_id}")
    assert response.status == 400
    _assert_error(response.body, "invalid_request")


def test_unknown_batch_id_is_404(call_api: Call) -> None:
    response = call_api(f"/batches/{uuid.uuid4()}")
    assert response.status == 404
    _assert_error(response.body, "not_found")


@pytest.mark.parametrize(
    ("status", "cache_control"),
    [
        ("completed", CACHE_COMPLETED),
        # A resume makes a failed batch active again.
        ("failed", CACHE_CHANGING),
        ("active", CACHE_CHANGING),
    ],
)
def test_only_a_completed_batch_is_cacheable_for_long(
    call_api: Call, conn: psycopg.Connection, status: str, cache_control: str
) -> None:
    (detail,) = seed_batches(conn, 1)
    if status != "active":
        set_batch_status(conn, detail.batch.id, status, from_status="active")  # type: ignore[arg-type]
    response = call_api(f"/batches/{detail.batch.id}")
    assert response.headers["Cache-Control"] == cache_control


@pytest.fixture
def database_down(call_api: Call, monkeypatch: pytest.MonkeyPatch) -> Call:
    """The application configured with a database nobody listens on."""
    monkeypatch.setenv("DATABASE_URL", "postgresql://alpha:hunter2@127.0.0.1:9/alpha")
    monkeypatch.setenv("DATABASE_CONNECT_TIMEOUT_SECONDS", "1")
    reset_settings_cache()
    close_connection()
    return call_api


@pytest.mark.parametrize("path", ["/latest", "/batches", f"/batches/{uuid.uuid4()}"])
def test_database_down_is_a_fast_503(database_down: Call, path: str) -> None:
    started = time.monotonic()
    response = database_down(path)
    assert time.monotonic() - started < 5
    assert response.status == 503
    _assert_error(response.body, "database_unavailable")
    assert "hunter2" not in str(response.body)


def test_health_is_503_with_the_same_shape_when_the_database_is_down(
    database_down: Call,
) -> None:
    response = database_down("/health")
    assert response.status == 503
    assert response.body == {"status": "unavailable", "database": "unavailable"}


def test_unexpected_failure_is_a_json_500_without_internals(
    call_api: Call, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a read that blows up with internal details in its message
    from alpha_monday.db.views import PublishedViews

    def explode(_: PublishedViews) -> None:
        raise RuntimeError("password=hunter2 at /var/task/secret.py")

    monkeypatch.setattr(PublishedViews, "latest_batch", explode)
    # When the route is called
    response = call_api("/latest")
    # Then the client gets a generic JSON 500
    assert response.status == 500
    _assert_error(response.body, "internal_error")
    assert "hunter2" not in str(response.body)
    assert "Traceback" not in str(response.body)


def test_cors_headers_follow_the_configured_origins(call_api: Call) -> None:
    # Default configuration allows any origin
    response = call_api("/health", headers={"Origin": "https://app.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_skipped_checkpoints_carry_their_reason(call_api: Call, conn: psycopg.Connection) -> None:
    from alpha_monday.db.checkpoints import record_checkpoint

    (detail,) = seed_batches(conn, 1, checkpoints_each=0)
    record_checkpoint(conn, detail.batch.id, skipped_checkpoint(FIRST_MONDAY + timedelta(days=5)))
    skipped = call_api(f"/batches/{detail.batch.id}").body["checkpoints"][-1]
    assert skipped == {
        "checkpoint_date": "2026-01-10",
        "status": "skipped",
        "is_baseline": False,
        "benchmark_price": None,
        "benchmark_return_pct": None,
        "skip_reason": "weekend",
        "rescored_because": None,
        "metrics": [],
        "skipped_picks": [],
    }


def test_a_pick_left_out_and_the_counted_actions_show_in_the_detail(
    call_api: Call, conn: psycopg.Connection
) -> None:
    # Given a computed day where NVDA was lost, AAPL's 2:1 split and a dividend of AAPL and
    # of SPY were counted
    from alpha_monday.db.checkpoints import record_checkpoint
    from alpha_monday.domain.corporate_actions import CorporateAction

    (detail,) = seed_batches(conn, 1, checkpoints_each=0)
    _, _, nvda = detail.picks
    day = computed_checkpoint(detail, FIRST_MONDAY)
    record_checkpoint(
        conn,
        detail.batch.id,
        dataclasses.replace(
            day,
            scores=day.scores[:2],
            left_out=(PickSkip(pick_id=nvda.id, ticker="NVDA", reason="symbol unknown: NVDA"),),
            applied=(
                CorporateAction("AAPL", "split", FIRST_MONDAY, Decimal("2")),
                CorporateAction("AAPL", "dividend", FIRST_MONDAY, Decimal("0.26")),
                CorporateAction("SPY", "dividend", FIRST_MONDAY, Decimal("1.75")),
            ),
        ),
    )
    # When the batch is read
    body = call_api(f"/batches/{detail.batch.id}").body
    # Then the reason and the split are there for people to see
    assert body["checkpoints"][-1]["skipped_picks"] == [
        {
            "pick_id": str(nvda.id),
            "ticker": "NVDA",
            "reason": "symbol unknown: NVDA",
            "held_close": None,
        }
    ]
    assert [m["ticker"] for m in body["checkpoints"][-1]["metrics"]] == ["AAPL", "MSFT"]
    assert body["picks"][0]["split_adjustments"] == [
        {"effective_date": "2026-01-05", "split_factor": "2", "first_counted_on": "2026-01-05"}
    ]
    assert body["picks"][0]["dividends"] == [
        {"ex_date": "2026-01-05", "amount": "0.26", "first_counted_on": "2026-01-05"}
    ]
    assert body["benchmark_corporate_actions"] == {
        "split_adjustments": [],
        "dividends": [
            {"ex_date": "2026-01-05", "amount": "1.75", "first_counted_on": "2026-01-05"}
        ],
    }


def test_cors_allows_only_configured_origins(database_url: str) -> None:
    from alpha_monday.api.app import create_app
    from alpha_monday.api.health_routes import health_routes
    from alpha_monday.config import load_api_settings
    from alpha_monday.db.connection import get_connection
    from alpha_monday_local.lambda_context import LocalLambdaContext
    from alpha_monday_local.server import proxy_event

    # Given the API built for two origins
    app = create_app(
        load_api_settings({"CORS_ALLOW_ORIGINS": "https://a.example,https://b.example"}),
        get_connection,
        health_routes,
    )

    def origin_header(origin: str) -> str | None:
        event = proxy_event("GET", "/health", {"Origin": [origin]}, None, b"")
        result = app.resolve(event, LocalLambdaContext("health", "r"))
        headers = {k: v[-1] for k, v in result["multiValueHeaders"].items()}
        return headers.get("Access-Control-Allow-Origin")

    # Then a listed origin is echoed and another gets no CORS grant
    assert origin_header("https://b.example") == "https://b.example"
    assert origin_header("https://evil.example") is None


def test_a_read_blocked_by_a_lock_answers_503_before_the_lambda_timeout(
    call_api: Call, conn: psycopg.Connection, database_url: str
) -> None:
    # Given a batch, and another session holding an exclusive lock on the batches table
    seed_batches(conn, 1)
    with psycopg.connect(database_url) as locker:
        locker.execute("LOCK TABLE batches IN ACCESS EXCLUSIVE MODE")
        # When /latest is asked for (the read functions' statement timeout: 3 s by default)
        started = time.monotonic()
        response = call_api("/latest")
        waited = time.monotonic() - started
        locker.rollback()
    # Then it answered 503 JSON in about the statement timeout, well within Lambda's 10 s
    assert response.status == 503
    _assert_error(response.body, "database_unavailable")
    assert response.headers["Cache-Control"] == "no-store"
    assert 2.5 < waited < 6
    # And the next read, the lock gone, works on the same warm connection
    assert call_api("/latest").status == 200


def test_an_event_without_an_http_method_is_a_json_400(database_url: str) -> None:
    from alpha_monday.api import resources
    from alpha_monday.api.handler import lambda_handler_for
    from alpha_monday_local.lambda_context import LocalLambdaContext

    lambda_handler = lambda_handler_for(resources.batches)

    # When a direct invocation sends something that is not an API Gateway event
    result = lambda_handler({"path": "/latest"}, LocalLambdaContext("latest", "r"))
    # Then it is the API's error body, not a KeyError
    assert result["statusCode"] == 400
    assert result["headers"]["Cache-Control"] == "no-store"
    _assert_error(json.loads(result["body"]), "invalid_request")
    assert "httpMethod" in json.loads(result["body"])["error"]["message"]
