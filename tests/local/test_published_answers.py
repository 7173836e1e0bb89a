"""What the product publishes for a fixed set of Mondays, compared with a recorded copy.

A refactor must keep behaviour: `run-week`'s output and every read route's answer (the
JSON API and the dashboard's HTML) for the same offline Mondays are compared byte for byte
with `tests/golden/published_answers.json`, after ids and wall-clock times (which differ on
every run) are replaced by stable names. A deliberate change of what is published is
recorded again with `UPDATE_GOLDEN=1 pytest tests/local/test_published_answers.py`, and
the diff of that file is the reviewable change.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import psycopg
import pytest

from alpha_monday.db.connection import close_connection
from alpha_monday_local.cli import main
from alpha_monday_local.server import LocalApi
from tests.migration_steps import migrate

pytestmark = pytest.mark.slow

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "published_answers.json"
# A summer Monday, one with an NYSE holiday in its fortnight, one across a DST change.
MONDAYS = ("2026-06-01", "2025-11-24", "2026-03-02")
UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
WALL_CLOCK = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?")
RUN_DURATION = re.compile(r"\d+(\.\d+)? ?s\b")
EXECUTION_NAME = re.compile(r"local-\d+-[0-9a-f]+")
CONTENDER = re.compile(r'"contender":"[^"]*"')


class Normaliser:
    """Names each id by its order of appearance; wall-clock times and durations as such."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        def name(match: re.Match[str]) -> str:
            return self.names.setdefault(match.group(0), f"<id-{len(self.names) + 1}>")

        text = UUID_TEXT.sub(name, text)
        text = EXECUTION_NAME.sub("<execution>", text)
        return WALL_CLOCK.sub("<time>", text)


def _answers(api: LocalApi, paths: list[str], normalise: Normaliser) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for path in paths:
        status, headers, body = api.invoke("GET", path, {}, b"")
        answers[normalise(path)] = {
            "status": status,
            "content_type": headers.get("Content-Type"),
            "cache_control": headers.get("Cache-Control"),
            "body": normalise(body.decode()),
        }
    return answers


def _run_weeks(capsys: pytest.CaptureFixture[str], normalise: Normaliser) -> dict[str, str]:
    runs: dict[str, str] = {}
    for monday in MONDAYS:
        assert main(["run-week", "--date", monday]) == 0
        out = capsys.readouterr().out
        # What run-week tells a person; its JSON log lines (code locations) are not published.
        told = "\n".join(line for line in out.splitlines() if not line.startswith("{"))
        runs[monday] = RUN_DURATION.sub("<duration>", normalise(told))
    return runs


def _routes(
    conn: psycopg.Connection, template: dict[str, Any], normalise: Normaliser
) -> dict[str, Any]:
    batch_ids = [str(row[0]) for row in conn.execute("SELECT id FROM batches ORDER BY run_date")]
    paths = [
        "/health",
        "/latest",
        "/batches",
        "/batches?limit=1",
        "/batches?limit=1&cursor=2026-03-02",
        *(f"/batches/{batch_id}" for batch_id in batch_ids),
        "/track-record",
        "/track-record?origin=simulated",
        "/track-record?origin=live,retrospective,simulated",
        "/?origin=simulated",
        "/",
        *(f"/weeks/{monday}" for monday in MONDAYS),
    ]
    return _answers(LocalApi(template), paths, normalise)


def _publish(
    capsys: pytest.CaptureFixture[str], conn: psycopg.Connection, template: dict[str, Any]
) -> dict[str, Any]:
    normalise = Normaliser()
    runs = _run_weeks(capsys, normalise)
    return {"run_week": runs, "routes": _routes(conn, template, normalise)}


def test_run_week_and_every_route_publish_what_they_published_before(
    database_url: str,
    conn: psycopg.Connection,
    template: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given three offline Mondays run by run-week
    # When every route is asked about them
    published = _publish(capsys, conn, template)
    # Then run-week said, and the routes answer, exactly what was recorded
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(published, indent=1, sort_keys=True) + "\n")
    recorded = json.loads(GOLDEN.read_text())
    assert published["run_week"] == recorded["run_week"]
    assert sorted(published["routes"]) == sorted(recorded["routes"])
    for path, answer in recorded["routes"].items():
        assert published["routes"][path] == answer, path


def _without_contender_names(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers with each entry's contender name blanked: a name the migration cannot
    know (the configuration of then), and a field no answer had before the arena."""
    return {
        path: answer | {"body": CONTENDER.sub('"contender":"<name>"', answer["body"])}
        for path, answer in answers.items()
    }


def test_the_entries_migration_changes_no_published_answer(
    database_url: str,
    conn: psycopg.Connection,
    template: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given three offline Mondays of one model published, then the schema taken back to
    # before the arena (one set of picks per batch, as every batch stored before it was)
    monkeypatch.setenv("RANDOM_CONTROL", "false")
    _run_weeks(capsys, Normaliser())
    published = _without_contender_names(_routes(conn, template, Normaliser()))
    close_connection()
    migrate(database_url, rollback="0018_entries")
    assert conn.execute("SELECT to_regclass('entries')").fetchone() == (None,)
    # When migration 0018 turns each batch into one entry again
    migrate(database_url)
    close_connection()
    # Then every route answers exactly as before: each number, page and commitment
    again = _without_contender_names(_routes(conn, template, Normaliser()))
    assert sorted(again) == sorted(published)
    for path, answer in published.items():
        assert again[path] == answer, path
    assert conn.execute("SELECT count(*) FROM entries").fetchone() == (len(MONDAYS),)
