"""Runs the real state machine definition (moto) against the test database.

Providers are the offline ones or test doubles, on the run's simulated clock: each
checkpoint sees the market as it was after that day's close.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any, Protocol

import psycopg
import pytest

from alpha_monday.domain.corporate_actions import CorporateAction, CorporateActions
from alpha_monday.domain.market_data import ActionSeries, DailyCloseSource, DailySeries
from alpha_monday.domain.market_time import market_date, market_instant_utc
from alpha_monday.domain.picks import (
    PROMPT_VERSION,
    Picker,
    PickerAttempt,
    PickerResult,
    PickRequest,
    ProposedPick,
    ProposedPicks,
    TickerCheck,
)
from alpha_monday.integrations.offline import ScriptedPicker, SyntheticMarket
from alpha_monday.observability import logger
from alpha_monday.run_config import load_arena_settings, load_market_settings, load_picker_settings
from alpha_monday.workflow.dependencies import DependencyFactory
from alpha_monday_local.lambda_context import LocalLambdaContext
from alpha_monday_local.sfn_runner import ExecutionReport, LocalWorkflow, SimulatedClock
from alpha_monday_local.template import Handler, functions, load_handler

SCHEDULED_START = time(8, 0)


class FixedPicker:
    """Always the same picks (they must be in the synthetic market's universe)."""

    model = "fixed-test-picker"
    offline = False

    def __init__(self, *picks: tuple[str, str]) -> None:
        self.picks = picks

    def pick(self, request: PickRequest, check_ticker: TickerCheck) -> PickerResult:
        proposed = ProposedPicks(
            benchmark_symbol=request.benchmark_symbol,
            picks=tuple(
                ProposedPick(ticker=t, action=a, reasoning=f"{t}: a fixed pick for the tests.")  # type: ignore[arg-type]
                for t, a in self.picks
            ),
        )
        problems = tuple(
            f"{t}: {reason}" for t, _ in self.picks if (reason := check_ticker(t)) is not None
        )
        assert not problems, problems
        return PickerResult(
            picks=proposed,
            model=self.model,
            prompt_version=PROMPT_VERSION,
            attempts=(PickerAttempt(raw_output=json.dumps(self.picks)),),
        )


@dataclass
class WrappedSource:
    """A market source that hands everything to `inner`: each double below changes one
    thing about it (and names itself in `name`)."""

    inner: DailyCloseSource

    @property
    def source_id(self) -> str:
        return self.inner.source_id

    @property
    def offline(self) -> bool:
        return self.inner.offline

    @property
    def calls_per_look_up(self) -> int:
        return self.inner.calls_per_look_up

    def daily_closes(self, symbol: str) -> DailySeries:
        return self.inner.daily_closes(symbol)

    def corporate_actions(self, symbol: str) -> ActionSeries:
        return self.inner.corporate_actions(symbol)


@dataclass
class ScriptedFailures(WrappedSource):
    """Wraps a source: on a given market date, the first calls raise the scripted errors."""

    clock: SimulatedClock
    failures: dict[date, list[Exception]]
    name: str = "the scripted market"
    calls: list[tuple[date, str]] = field(default_factory=list)

    def daily_closes(self, symbol: str) -> DailySeries:
        day = market_date(self.clock.now())
        self.calls.append((day, symbol))
        queue = self.failures.get(day)
        if queue:
            raise queue.pop(0)
        return self.inner.daily_closes(symbol)


@dataclass
class NeverPublished(WrappedSource):
    """Wraps a source: the close of one date never appears."""

    missing: date
    name: str = "a market that skips a day"

    def daily_closes(self, symbol: str) -> DailySeries:
        series = self.inner.daily_closes(symbol)
        closes = {day: close for day, close in series.closes.items() if day != self.missing}
        return DailySeries(closes=closes, rejected=series.rejected)


class SourceFactory(Protocol):
    def __call__(self, clock: SimulatedClock, synthetic: SyntheticMarket) -> DailyCloseSource: ...


@dataclass
class WeeklyRun:
    report: ExecutionReport
    clock: SimulatedClock
    source: DailyCloseSource

    @property
    def output(self) -> Any:
        return self.report.output


RunWeekly = Callable[..., WeeklyRun]
# One model contender and no random control: a batch as it was before the arena.
ONE_MODEL = {"RANDOM_CONTROL": "false"}


def workflow_factory(
    clock: SimulatedClock,
    *,
    source: DailyCloseSource | None = None,
    picker: Picker | None = None,
    daily_limit: int = 25,
    arena: Mapping[str, str] = ONE_MODEL,
    pickers: Mapping[str, Picker] | None = None,
) -> DependencyFactory:
    """The workflow's one factory, with the tests' clock, market and picker(s); `arena` is
    the contenders' configuration (one model and no control unless a test says)."""
    environ = {
        "ALPHA_VANTAGE_DAILY_LIMIT": str(daily_limit),
        "ALPHA_VANTAGE_MIN_INTERVAL_SECONDS": "0",
    }
    synthetic = SyntheticMarket(now=clock.now)
    return DependencyFactory(
        market_settings=lambda: load_market_settings(environ),
        picker_settings=lambda: load_picker_settings(arena),
        arena_settings=lambda: load_arena_settings(arena),
        now=clock.now,
        sleep=clock.advance,
        market_source=lambda _: source or synthetic,
        picker=picker or (None if pickers else ScriptedPicker()),
        pickers=pickers or {},
    )


@pytest.fixture
def run_weekly(database_url: str) -> RunWeekly:
    def run(
        run_date: date,
        *,
        execution_input: dict[str, Any] | None = None,
        source: SourceFactory | None = None,
        picker: Picker | None = None,
        daily_limit: int = 25,
        arena: Mapping[str, str] = ONE_MODEL,
        pickers: Mapping[str, Picker] | None = None,
    ) -> WeeklyRun:
        clock = SimulatedClock(market_instant_utc(run_date, SCHEDULED_START))
        synthetic = SyntheticMarket(now=clock.now)
        chosen_source = source(clock, synthetic) if source else synthetic
        factory = workflow_factory(
            clock,
            source=chosen_source,
            picker=picker,
            daily_limit=daily_limit,
            arena=arena,
            pickers=pickers,
        )
        report = LocalWorkflow(clock=clock, factory=factory).run(
            execution_input or {"run_date": run_date.isoformat()}
        )
        return WeeklyRun(report=report, clock=clock, source=chosen_source)

    return run


@dataclass
class SplitAt(WrappedSource):
    """Wraps a source: `symbol` splits by `factor` on `effective` (unadjusted closes, like
    TIME_SERIES_DAILY); the corporate actions report it only if `reported`."""

    symbol: str
    effective: date
    factor: Decimal
    reported: bool
    name: str = "a market where a share splits"
    split_calls: list[str] = field(default_factory=list)

    def daily_closes(self, symbol: str) -> DailySeries:
        series = self.inner.daily_closes(symbol)
        if symbol != self.symbol:
            return series
        closes = {
            day: (close / self.factor).quantize(Decimal("0.0001"))
            if day >= self.effective
            else close
            for day, close in series.closes.items()
        }
        return DailySeries(closes=closes, rejected=series.rejected)

    def corporate_actions(self, symbol: str) -> ActionSeries:
        self.split_calls.append(symbol)
        series = self.inner.corporate_actions(symbol)
        if symbol == self.symbol and self.reported:
            split = CorporateAction(symbol, "split", self.effective, self.factor)
            return ActionSeries(series.actions.merged(CorporateActions((split,))))
        return series


def stored_close(conn: psycopg.Connection, symbol: str, day: date) -> Decimal:
    """The close `prices` holds for `symbol` on `day` (what every return is computed from)."""
    row = conn.execute(
        "SELECT close FROM prices WHERE symbol = %s AND trading_date = %s", (symbol, day)
    ).fetchone()
    assert row is not None
    return Decimal(row[0])


@pytest.fixture
def service_logs() -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """Reads the service logger's JSON lines so far, as its own formatter wrote them."""
    stream = io.StringIO()
    capture = logging.StreamHandler(stream)
    capture.setFormatter(logger.registered_formatter)
    logger.addHandler(capture)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logger.removeHandler(capture)


AFTER_THE_FORTNIGHT = datetime(2026, 6, 20, tzinfo=UTC)
CONTEXT = {"workflow_run_id": "manual-2026-06-01", "step_name": "PlanRun", "retry_count": 0}


@pytest.fixture
def invoke(database_url: str, template: dict[str, Any]) -> Any:
    """Call a function's handler from template.yaml, with offline providers after June 1st."""
    handlers: dict[str, Handler] = {}
    factory = DependencyFactory(
        market_settings=lambda: load_market_settings({"ALPHA_VANTAGE_MIN_INTERVAL_SECONDS": "0"}),
        picker_settings=lambda: load_picker_settings(ONE_MODEL),
        arena_settings=lambda: load_arena_settings(ONE_MODEL),
        now=lambda: AFTER_THE_FORTNIGHT,
        sleep=lambda _: None,
        picker=ScriptedPicker(),
    )

    def call(function: str, event: dict[str, Any]) -> dict[str, Any]:
        if function not in handlers:
            handlers[function] = load_handler(functions(template)[function], factory)
        return handlers[function](event, LocalLambdaContext(function, "test"))

    return call


def new_batch(invoke: Any, execution: str = CONTEXT["workflow_run_id"]) -> dict[str, Any]:
    """June 1st's batch, made by `execution` as the state machine makes it: PlanRun, each
    contender's AskContender, GeneratePicks (`invoke(function, event)` calls a handler)."""
    context = CONTEXT | {"workflow_run_id": execution}
    plan = invoke(
        "PlanRunFunction",
        {
            "execution_input": {"run_date": "2026-06-01"},
            "execution_started_at": "2026-06-01T12:00:00Z",
            "context": context,
        },
    )
    answers = [
        invoke(
            "AskContenderFunction",
            {
                "contender": contender,
                "run_date": plan["run_date"],
                "baseline_date": plan["baseline_date"],
                "execution_name": execution,
                "context": context | {"step_name": "AskContender"},
            },
        )
        for contender in plan["contenders"]
    ]
    return invoke(
        "GeneratePicksFunction",
        {
            "run_date": plan["run_date"],
            "baseline_date": plan["baseline_date"],
            "answers": answers,
            "context": context | {"step_name": "GeneratePicks"},
        },
    )
