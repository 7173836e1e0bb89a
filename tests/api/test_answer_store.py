"""The answer store: a path's answer, rendered once, is served by the next container with one
query, byte for byte the same, until a write changes the published data or another release
(code, settings) answers (docs/scale.md)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import psycopg
import pytest

from alpha_monday.config import reset_settings_cache
from alpha_monday.db.checkpoints import record_checkpoint
from alpha_monday_local.embedded_db import read_only_url
from tests.api.conftest import lambda_result
from tests.builders import computed_checkpoint, seed_batches

MARKER = "served from the answer store"


def _stored_paths(conn: psycopg.Connection) -> list[str]:
    return [row[0] for row in conn.execute("SELECT path FROM stored_answers ORDER BY path")]


def _every_stored_path(conn: psycopg.Connection) -> list[str]:
    batch_id, run_date = conn.execute(
        "SELECT id, run_date FROM batches ORDER BY run_date DESC LIMIT 1"
    ).fetchone() or (None, None)
    assert batch_id is not None
    return [
        "/",
        "/latest",
        "/batches",
        f"/batches/{batch_id}",
        "/track-record",
        f"/weeks/{run_date.isoformat()}",
        "/feed.atom",
        "/data/checkpoints.csv",
        "/analysis-plan",
    ]


@pytest.mark.parametrize(
    ("headers", "method"),
    [
        (None, "GET"),
        ({"Origin": "https://reader.example"}, "GET"),
        (None, "HEAD"),
    ],
)
def test_a_stored_answer_is_the_rendered_answer_byte_for_byte(
    database_url: str,
    conn: psycopg.Connection,
    template: dict[str, Any],
    headers: dict[str, str] | None,
    method: str,
) -> None:
    # Given two weeks, and each storable path rendered once (the store was empty)
    seed_batches(conn, 2)
    paths = _every_stored_path(conn)
    rendered = {path: lambda_result(template, path, headers, method) for path in paths}
    for path in paths:
        lambda_result(template, path)  # a GET keeps it (a HEAD's body is empty)
    assert _stored_paths(conn) == sorted(paths)
    # When another container (a fresh handler) answers each of them from the store
    served = {path: lambda_result(template, path, headers, method) for path in paths}
    # Then every answer is the same: status, every header (CORS, Vary), body
    for path in paths:
        assert rendered[path]["statusCode"] == 200, path
        assert served[path] == rendered[path], path


def test_the_store_serves_what_it_holds_until_a_write_changes_the_published_data(
    database_url: str, conn: psycopg.Connection, template: dict[str, Any]
) -> None:
    # Given /latest rendered and kept, and its stored body replaced by a marker
    (first,) = seed_batches(conn, 1)
    assert lambda_result(template, "/latest")["statusCode"] == 200
    conn.execute("UPDATE stored_answers SET body = %s", (MARKER,))
    # When it is asked again, it is the stored answer that is served
    assert lambda_result(template, "/latest")["body"] == MARKER
    # When a checkpoint of the batch is then recorded (a write to a published table)
    day = first.batch.run_date + timedelta(days=2)
    record_checkpoint(conn, first.batch.id, computed_checkpoint(first, day))
    # Then the next answer is rendered again from the data, and kept anew
    answer = lambda_result(template, "/latest")["body"]
    assert MARKER not in answer
    assert day.isoformat() in answer
    assert lambda_result(template, "/latest")["body"] == answer


def test_only_a_query_less_200_that_caches_may_keep_is_stored(
    database_url: str, conn: psycopg.Connection, template: dict[str, Any]
) -> None:
    # Given a batch
    seed_batches(conn, 1)
    # When a query, an unknown batch, a bad id, the health check and a HEAD are answered
    for path, method in (
        ("/batches?limit=1", "GET"),
        ("/track-record?origin=live", "GET"),
        ("/?origin=simulated", "GET"),
        (f"/batches/{uuid.uuid4()}", "GET"),
        ("/batches/not-a-uuid", "GET"),
        ("/weeks/2031-01-06", "GET"),
        ("/data/nothing.csv", "GET"),
        ("/health", "GET"),
        ("/latest", "HEAD"),
    ):
        lambda_result(template, path, method=method)
    # Then nothing was kept
    assert _stored_paths(conn) == []


def test_another_release_renders_its_own_answer(
    database_url: str,
    conn: psycopg.Connection,
    template: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given the track record rendered and kept under the default settings
    seed_batches(conn, 2, status="completed")
    before = lambda_result(template, "/track-record")["body"]
    # When the functions start with another power edge (a setting that shapes the body)
    monkeypatch.setenv("POWER_EDGE_PCT", "2")
    reset_settings_cache()
    after = lambda_result(template, "/track-record")["body"]
    # Then they rendered their own answer, and both are kept, each under its release
    assert after != before
    assert '"power_edge_pct":"2"' in after
    assert _stored_paths(conn) == ["/track-record", "/track-record"]


def test_an_answer_rendered_before_a_write_committed_is_not_kept(
    database_url: str, conn: psycopg.Connection
) -> None:
    # Given the published data's generation, and a write that moves it on
    (generation,) = conn.execute("SELECT generation FROM published_generation").fetchone() or (0,)
    seed_batches(conn, 1)
    # When an answer rendered from the older generation is offered to the store
    kept = conn.execute(
        "SELECT keep_answer('/latest', 'r', %s, 'application/json', 'public', '{}')",
        (generation,),
    ).fetchone()
    # Then it is refused, and nothing is kept
    assert kept == (False,)
    assert _stored_paths(conn) == []


def test_the_read_role_keeps_answers_only_through_keep_answer(
    database_url: str, conn: psycopg.Connection
) -> None:
    # Given the read functions' login
    (generation,) = conn.execute("SELECT generation FROM published_generation").fetchone() or (0,)
    with psycopg.connect(read_only_url(database_url), autocommit=True) as reader:
        # When it keeps an answer of the current generation, it is kept
        kept = reader.execute(
            "SELECT keep_answer('/latest', 'r', %s, 'application/json', 'public', '{}')",
            (generation,),
        ).fetchone()
        assert kept == (True,)
        # And it can neither write the store directly nor move the generation
        for statement in (
            "INSERT INTO stored_answers (path, release, generation, content_type,"
            " cache_control, body) VALUES ('/', 'r', 1, 'text/html', 'public', 'forged')",
            "UPDATE stored_answers SET body = 'forged'",
            "DELETE FROM stored_answers",
            "UPDATE published_generation SET generation = 0",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                reader.execute(statement)
        # And keep_answer takes only a path, never a query or anything else
        with pytest.raises(psycopg.errors.CheckViolation):
            reader.execute(
                "SELECT keep_answer('/batches?limit=1', 'r', %s, 'text/html', 'public', 'x')",
                (generation,),
            )
    assert [row[0] for row in conn.execute("SELECT body FROM stored_answers")] == ["{}"]


def test_every_published_table_moves_the_generation_on(
    database_url: str, conn: psycopg.Connection
) -> None:
    # Given the tables the read role may select (what any answer can show)
    published = {
        row[0]
        for row in conn.execute(
            "SELECT table_name FROM information_schema.role_table_grants"
            " WHERE grantee = 'alpha_monday_reader' AND privilege_type = 'SELECT'"
        )
    } - {"stored_answers", "published_generation"}
    # And the tables whose writes move the published generation on
    triggered = {
        row[0]
        for row in conn.execute(
            "SELECT event_object_table FROM information_schema.triggers"
            " WHERE action_statement = 'EXECUTE FUNCTION published_data_changed()'"
        )
    }
    # Then they are the same tables, and there are some
    assert published
    assert triggered == published
    # And a write to one of them, even one that changes no row, moves the generation on
    (before,) = conn.execute("SELECT generation FROM published_generation").fetchone() or (0,)
    conn.execute("UPDATE batches SET status = status WHERE false")
    (after,) = conn.execute("SELECT generation FROM published_generation").fetchone() or (0,)
    assert after == before + 1
