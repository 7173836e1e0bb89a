"""The edge cache forgets exactly what each step changed: every answer a step changed is
invalidated when the step ends, and every path it invalidates did change.

Each invalidation is checked against the real read handlers: the recorder reads every
published path before and after, through the same functions API Gateway calls.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from typing import Any

import psycopg
import pytest

from alpha_monday.db.open_data import OPEN_TABLES
from alpha_monday.domain.errors import MarketDataPremiumOnly
from alpha_monday.domain.market_time import market_instant_utc
from alpha_monday.integrations.offline import ScriptedPicker, SyntheticMarket
from alpha_monday_local.lambda_context import LocalLambdaContext
from alpha_monday_local.server import proxy_event
from alpha_monday_local.sfn_runner import LocalWorkflow, SimulatedClock
from alpha_monday_local.template import Handler, api_routes, functions, load_handler
from tests.workflow.conftest import SCHEDULED_START, ScriptedFailures, workflow_factory

Answer = tuple[int, str]
# What may change without every step of a kind changing it: a day with no skipped pick,
# no corporate action or no newly stored close leaves these tables as they were, and the
# completion audit rewrites the stored days only when an action or a heal changed one.
DATA_DEPENDENT = ("/data/skips.csv", "/data/corporate_actions.csv", "/data/closes.csv")
AUDITED = ("/data/checkpoints.csv", "/data/metrics.csv")
COMPLETION = "/track-record?*"


def covers(pattern: str, path: str) -> bool:
    """CloudFront's rule: a trailing `*` is a prefix of the path with its query."""
    return path.startswith(pattern[:-1]) if pattern.endswith("*") else path == pattern


class PublishedAnswers:
    """Every published path, read through the read functions as API Gateway calls them."""

    def __init__(self, template: dict[str, Any], conn: psycopg.Connection) -> None:
        self._conn = conn
        self._routes = [r for r in api_routes(template) if r.method == "GET"]
        properties = functions(template)
        self._handlers: dict[str, Handler] = {
            name: load_handler(properties[name]) for name in {r.function_name for r in self._routes}
        }

    def paths(self) -> list[str]:
        batches = self._conn.execute(
            "SELECT id, run_date FROM batches ORDER BY run_date"
        ).fetchall()
        oldest = batches[0][1].isoformat() if batches else "2026-01-05"
        return [
            "/",
            "/?origin=live,retrospective,simulated",
            f"/?before={oldest}",
            "/latest",
            "/batches",
            "/batches?limit=1",
            "/batches?limit=100",
            "/track-record",
            "/track-record?origin=simulated",
            "/feed.atom",
            *(f"/data/{table}.csv" for table in OPEN_TABLES),
            *(f"/batches/{batch_id}" for batch_id, _ in batches),
            *(f"/weeks/{run_date.isoformat()}" for _, run_date in batches),
        ]

    def read(self, path: str) -> Answer:
        route = next(r for r in self._routes if r.pattern.match(path.split("?", maxsplit=1)[0]))
        event = proxy_event("GET", path, {}, route, b"")
        answer = self._handlers[route.function_name](event, LocalLambdaContext("edge", "read"))
        return answer["statusCode"], answer["body"]

    def snapshot(self) -> dict[str, Answer]:
        return {path: self.read(path) for path in self.paths()}


@dataclasses.dataclass
class CheckingEdge:
    """An edge cache that, at each invalidation, reads every answer again and compares."""

    answers: PublishedAnswers
    before: dict[str, Answer] = dataclasses.field(default_factory=dict)
    invalidations: list[tuple[str, ...]] = dataclasses.field(default_factory=list)
    stale: list[str] = dataclasses.field(default_factory=list)
    needless: list[str] = dataclasses.field(default_factory=list)
    references: list[str] = dataclasses.field(default_factory=list)

    def invalidate(self, paths: Sequence[str], reference: str) -> str | None:
        after = self.answers.snapshot()
        changed = {p for p, answer in after.items() if self.before.get(p) != answer}
        self.stale += sorted(
            f"{len(self.invalidations)}:{p}"
            for p in changed
            if not any(covers(pattern, p) for pattern in paths)
        )
        self.needless += [
            f"{len(self.invalidations)}:{pattern}"
            for pattern in paths
            if pattern not in DATA_DEPENDENT
            and not (COMPLETION in paths and pattern in AUDITED)
            and not any(covers(pattern, p) for p in changed)
        ]
        self.invalidations.append(tuple(paths))
        self.references.append(reference)
        self.before = after
        return f"I{len(self.invalidations)}"


def _run(edge: CheckingEdge, run_date: date, *, fail_on: date | None = None) -> str:
    clock = SimulatedClock(market_instant_utc(run_date, SCHEDULED_START))
    synthetic = SyntheticMarket(now=clock.now)
    # An unrecoverable market error on `fail_on`: the run fails its batch.
    failures = {fail_on: [MarketDataPremiumOnly("SPY", "premium endpoint")]} if fail_on else {}
    source = ScriptedFailures(synthetic, clock, failures)
    factory = workflow_factory(clock, source=source, picker=ScriptedPicker())
    report = LocalWorkflow(clock=clock, factory=dataclasses.replace(factory, edge=edge)).run(
        {"run_date": run_date.isoformat()}
    )
    return report.status


@pytest.mark.parametrize(
    "mondays",
    [
        # A week, then the next: the new week links back, the first becomes final.
        (date(2026, 6, 1), date(2026, 6, 8)),
        # A later week first, then an earlier one: not the latest, not the first page's.
        (date(2026, 6, 15), date(2026, 6, 1)),
    ],
)
def test_each_step_invalidates_exactly_the_answers_it_changed(
    mondays: tuple[date, ...], database_url: str, conn: psycopg.Connection, template: Any
) -> None:
    # Given an edge cache that reads every published answer at each invalidation
    edge = CheckingEdge(PublishedAnswers(template, conn))
    edge.before = edge.answers.snapshot()
    # When whole fortnights run, one after the other
    for monday in mondays:
        assert _run(edge, monday) == "SUCCEEDED"
    # Then every answer a step changed was invalidated when it ended
    assert edge.stale == [], " ".join(edge.stale)
    # And every path it invalidated had changed (the data-dependent tables aside)
    assert edge.needless == [], " ".join(edge.needless)
    # And nothing changed after the last invalidation
    assert edge.answers.snapshot() == edge.before
    # And each step told the edge once: the commit, 14 days and the completion per week
    assert len(edge.invalidations) == 16 * len(mondays)
    assert len(set(edge.references)) == len(edge.references)


def test_a_failed_run_invalidates_its_batch_when_it_is_marked_failed(
    database_url: str, conn: psycopg.Connection, template: Any
) -> None:
    # Given an edge cache that reads every published answer at each invalidation
    edge = CheckingEdge(PublishedAnswers(template, conn))
    edge.before = edge.answers.snapshot()
    # When a week's run fails on its third day
    assert _run(edge, date(2026, 6, 1), fail_on=date(2026, 6, 3)) == "FAILED"
    # Then the failure changed the batch's answers, and exactly those were invalidated
    assert edge.stale == [], " ".join(edge.stale)
    assert edge.needless == [], " ".join(edge.needless)
    assert edge.answers.snapshot() == edge.before
    # And the last invalidation was the failure's: the batch's status, not a day's tables
    assert "/data/batches.csv" in edge.invalidations[-1]
    assert "/data/metrics.csv" not in edge.invalidations[-1]
    status = conn.execute("SELECT status FROM batches").fetchone()
    assert status == ("failed",)
