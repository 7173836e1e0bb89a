"""The arena: several model contenders and the random control on the same Monday, through
the real state machine definition on embedded PostgreSQL."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

import psycopg
import pytest

from alpha_monday.api.batch_models import batch_detail_out
from alpha_monday.config import reset_settings_cache
from alpha_monday.db.batches import get_batch_detail
from alpha_monday.db.connection import close_connection
from alpha_monday.db.migrations import MIGRATIONS_DIR, apply_migrations
from alpha_monday.domain.control import control_seed, draw_order
from alpha_monday.domain.errors import PickerRefused, PickerUnavailable
from alpha_monday.domain.model import BatchDetail
from alpha_monday.domain.picks import PickerResult, PickRequest, TickerCheck
from alpha_monday.integrations.universe import sp500_universe
from alpha_monday_local.paths import PROJECT_ROOT, SHARED_DIR
from alpha_monday_local.sfn_runner import SimulatedClock
from tests.workflow.conftest import FixedPicker, RunWeekly, WrappedSource

JUNE_1 = date(2026, 6, 1)
ARENA_DOC = PROJECT_ROOT / "docs" / "arena.md"
ARENA = {
    "CONTENDERS": json.dumps(
        [
            {"name": "alpha", "model": "model-a"},
            {
                "name": "beta",
                "model": "model-b",
                "base_url": "http://127.0.0.1:9/v1",
                "api_key_setting": "BETA_API_KEY",
            },
        ]
    ),
    # Two contenders asked in one task: each ask's worst case must fit in its timeout.
    "OPENAI_MAX_RETRIES": "0",
}
# A premium key's budget: the free tier's 25 calls a day are the budget table's subject.
ROOMY = 500


def _picker(model: str, *picks: tuple[str, str]) -> FixedPicker:
    picker = FixedPicker(*picks)
    picker.model = model
    return picker


def _alpha() -> FixedPicker:
    return _picker("model-a", ("AAPL", "BUY"), ("MSFT", "SELL"), ("NVDA", "BUY"))


def _beta() -> FixedPicker:
    # AAPL again: two contenders may pick the same stock (and take opposite sides).
    return _picker("model-b", ("AAPL", "SELL"), ("KO", "BUY"), ("V", "SELL"))


@dataclass
class CountedCalls(WrappedSource):
    """Wraps a source: counts the daily-closes calls per symbol and wake-up (the picking in
    the morning, each checkpoint after the close)."""

    clock: SimulatedClock | None = None
    name: str = "a market that counts its calls"
    calls: Counter[tuple[datetime, str]] = field(default_factory=Counter)

    def daily_closes(self, symbol: str) -> Any:
        assert self.clock is not None
        wake_up = self.clock.now().replace(minute=0, second=0, microsecond=0)
        self.calls[(wake_up, symbol)] += 1
        return self.inner.daily_closes(symbol)


@dataclass
class Refusing:
    """A model that refuses to answer."""

    model: str
    reason: str
    offline: bool = False

    def pick(self, request: PickRequest, check_ticker: TickerCheck) -> PickerResult:
        raise PickerRefused(self.reason)


def _ask_retries(error: str) -> int:
    """How often the state machine retries AskContender on `error`."""
    definition = json.loads((SHARED_DIR / "statemachine" / "weekly_run.asl.json").read_text())
    ask = definition["States"]["AskContenders"]["ItemProcessor"]["States"]["AskContender"]
    (rule,) = [r for r in ask["Retry"] if error in r["ErrorEquals"]]
    return int(rule["MaxAttempts"])


def _detail(conn: psycopg.Connection, run: Any) -> BatchDetail:
    return get_batch_detail(conn, UUID(run.output["batch_id"]))


def test_two_models_and_the_control_share_one_batch_and_are_scored_alike(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    # Given two model contenders and the random control, on a market that counts calls
    counted: list[CountedCalls] = []

    def source(clock: SimulatedClock, synthetic: Any) -> CountedCalls:
        counted.append(CountedCalls(synthetic, clock))
        return counted[0]

    # When the week runs
    run = run_weekly(
        JUNE_1,
        arena=ARENA,
        pickers={"alpha": _alpha(), "beta": _beta()},
        source=source,
        daily_limit=ROOMY,
    )
    # Then one batch holds an entry per contender, in the configured order
    assert run.report.status == "SUCCEEDED", run.report.cause
    detail = _detail(conn, run)
    assert [(e.contender, e.kind, e.model) for e in detail.entries] == [
        ("alpha", "model", "model-a"),
        ("beta", "model", "model-b"),
        ("random-control", "control", None),
    ]
    alpha, beta, control = detail.entries
    by_entry = {
        e.id: [(p.ticker, p.action) for p in detail.picks if p.entry_id == e.id]
        for e in detail.entries
    }
    assert by_entry[alpha.id] == [("AAPL", "BUY"), ("MSFT", "SELL"), ("NVDA", "BUY")]
    assert by_entry[beta.id] == [("AAPL", "SELL"), ("KO", "BUY"), ("V", "SELL")]
    # And the control copies the first model's mix (two BUYs, one SELL) from its draw order
    assert control.control is not None
    assert control.control.seed == control_seed(JUNE_1)
    order = draw_order(control.control.seed, sp500_universe().tickers)
    first, second, third = order[:3]
    assert dict(by_entry[control.id]) == {first: "BUY", second: "BUY", third: "SELL"}
    # And every pick, the control's too, is scored on every session of the fortnight
    sessions = [
        c for c in detail.checkpoints if c.status == "computed" and c.checkpoint_date >= JUNE_1
    ]
    assert len(sessions) == 10
    assert all({m.pick_id for m in c.metrics} == {p.id for p in detail.picks} for c in sessions)
    # And AAPL's close is shared: the BUY and the SELL of it score opposite sides of one move
    last = sessions[-1]
    aapl = [m for m in last.metrics if m.ticker == "AAPL"]
    assert len(aapl) == 2
    assert aapl[0].current_price == aapl[1].current_price
    assert aapl[0].vs_benchmark_pct == -aapl[1].vs_benchmark_pct
    # And no symbol's closes were asked for twice at a wake-up: shared across entries
    assert max(counted[0].calls.values()) == 1
    assert len({symbol for _, symbol in counted[0].calls}) == 1 + 5 + 3  # SPY, models, control


def test_a_contender_that_fails_is_recorded_without_picks_and_the_week_goes_on(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    # Given a second contender that refuses to answer
    beta = Refusing("model-b", "I cannot give financial advice")
    # When the week runs
    run = run_weekly(
        JUNE_1, arena=ARENA, pickers={"alpha": _alpha(), "beta": beta}, daily_limit=ROOMY
    )
    # Then the batch completes with beta's entry holding its error and no picks
    assert run.report.status == "SUCCEEDED", run.report.cause
    detail = _detail(conn, run)
    failed = next(e for e in detail.entries if e.contender == "beta")
    assert failed.error == "PickerRefused: I cannot give financial advice"
    assert not [p for p in detail.picks if p.entry_id == failed.id]
    assert detail.batch.status == "completed"
    assert detail.batch.model == "model-a"
    # And its refusal is kept among the answers
    outcomes = conn.execute(
        "SELECT payload ->> 'contender', payload ->> 'outcome' FROM events"
        " WHERE event_type = 'picker_answered' ORDER BY created_at"
    ).fetchall()
    assert outcomes == [("alpha", "accepted"), ("beta", "PickerRefused")]


def test_with_no_model_answering_the_run_fails_and_stores_no_batch(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    run = run_weekly(JUNE_1, arena=ARENA, picker=Refusing("refusing", "no"), daily_limit=ROOMY)
    assert run.report.status == "FAILED"
    assert run.report.error == "NoContenderAnswered"
    assert "alpha: PickerRefused: no" in (run.report.cause or "")
    assert "beta: PickerRefused: no" in (run.report.cause or "")
    assert conn.execute("SELECT count(*) FROM batches").fetchone() == (0,)


def test_an_unavailable_contender_is_retried_then_recorded_and_the_other_is_asked_once(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    # Given a second contender whose API is down all morning
    asked: Counter[str] = Counter()

    class Down:
        model = "model-b"
        offline = False

        def pick(self, request: PickRequest, check_ticker: TickerCheck) -> PickerResult:
            asked["beta"] += 1
            raise PickerUnavailable("HTTP 503")

    class Alpha(FixedPicker):
        def pick(self, request: PickRequest, check_ticker: TickerCheck) -> PickerResult:
            asked["alpha"] += 1
            return super().pick(request, check_ticker)

    alpha = Alpha(("AAPL", "BUY"), ("MSFT", "SELL"), ("NVDA", "BUY"))
    # When the week runs
    run = run_weekly(
        JUNE_1, arena=ARENA, pickers={"alpha": alpha, "beta": Down()}, daily_limit=ROOMY
    )
    # Then the state machine retried beta's own task, and recorded it as failed after the
    # last try, while alpha was asked once
    assert run.report.status == "SUCCEEDED", run.report.cause
    assert asked == {"alpha": 1, "beta": _ask_retries("PickerUnavailable") + 1}
    beta = next(e for e in _detail(conn, run).entries if e.contender == "beta")
    assert beta.error == "PickerUnavailable: HTTP 503"


@pytest.fixture
def fresh_database(
    create_fresh_database: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[], str]]:
    """Points the application at a newly created, migrated database."""

    def switch() -> str:
        url = create_fresh_database()
        apply_migrations(url, MIGRATIONS_DIR)
        close_connection()
        monkeypatch.setenv("DATABASE_URL", url)
        reset_settings_cache()
        return url

    yield switch
    close_connection()


def test_the_control_redraws_identically_in_a_fresh_database(
    run_weekly: RunWeekly, conn: psycopg.Connection, fresh_database: Callable[[], str]
) -> None:
    # Given the control drawn for a Monday
    pickers = {"alpha": _alpha(), "beta": _beta()}
    first = _detail(conn, run_weekly(JUNE_1, arena=ARENA, pickers=pickers, daily_limit=ROOMY))
    # When the same Monday runs again in a database that has never seen it
    url = fresh_database()
    run = run_weekly(JUNE_1, arena=ARENA, pickers=pickers, daily_limit=ROOMY)
    with psycopg.connect(url) as other:
        again = get_batch_detail(other, UUID(run.output["batch_id"]))

    # Then the control is the same draw: seed, universe, tickers, actions and reasons
    def control(detail: BatchDetail) -> tuple[Any, ...]:
        (entry,) = [e for e in detail.entries if e.kind == "control"]
        picks = [(p.ticker, p.action, p.reasoning) for p in detail.picks if p.entry_id == entry.id]
        return entry.control, picks

    assert control(again) == control(first)
    assert again.batch.commitment_sha256 == first.batch.commitment_sha256


def test_anyone_redraws_the_control_from_the_published_batch_as_documented(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    # Given a week with the control, as the API publishes it
    run = run_weekly(
        JUNE_1, arena=ARENA, pickers={"alpha": _alpha(), "beta": _beta()}, daily_limit=ROOMY
    )
    published = batch_detail_out(_detail(conn, run)).model_dump(mode="json")
    # When a reader runs docs/arena.md's recipe on it
    (code,) = re.findall(r"```python\n(.*?)```", ARENA_DOC.read_text(), flags=re.DOTALL)
    namespace: dict[str, Any] = {}
    exec(code, namespace)
    # Then it draws the very picks the control holds
    (control,) = [e for e in published["entries"] if e["kind"] == "control"]
    assert namespace["redraw"](published) == {
        p["ticker"]: p["action"] for p in published["picks"] if p["entry_id"] == control["id"]
    }


def test_on_the_free_tier_monday_s_session_is_published_a_day_late_never_lost(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    # Given the default arena (one model and the control) on the free tier's 25 calls a day
    run = run_weekly(JUNE_1, arena={}, daily_limit=25)
    # Then the morning's picking spent Monday's budget: its evening session was held for
    # the rate limit, and Tuesday's checkpoint published it from the cache
    assert run.report.status == "SUCCEEDED", run.report.cause
    detail = _detail(conn, run)
    monday = next(c for c in detail.checkpoints if c.checkpoint_date == JUNE_1)
    assert monday.status == "computed"
    assert len(monday.metrics) == 6  # the model's three picks and the control's
    events = conn.execute(
        "SELECT event_type, payload ->> 'checkpoint_date', payload ->> 'reason' FROM events"
        " WHERE event_type IN ('checkpoint_skipped', 'checkpoint_healed') ORDER BY created_at"
    ).fetchall()
    assert ("checkpoint_skipped", "2026-06-01", "rate limited") in events
    assert any(kind == "checkpoint_healed" and day == "2026-06-01" for kind, day, _ in events)
    assert not [c for c in detail.checkpoints if c.skip_reason == "rate limited"]


def test_pick_stability_asks_each_model_again_and_publishes_the_overlap_only(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    # Given pick stability on (two more asks) and a model that changes its mind once
    class Wavering(FixedPicker):
        answers = iter(
            [
                (("AAPL", "BUY"), ("MSFT", "SELL"), ("NVDA", "BUY")),  # committed
                (("AAPL", "BUY"), ("MSFT", "BUY"), ("NVDA", "BUY")),  # one action flipped
                (("AAPL", "SELL"), ("KO", "BUY"), ("V", "SELL")),  # one ticker kept
            ]
        )

        def pick(self, request: PickRequest, check_ticker: TickerCheck) -> PickerResult:
            self.picks = next(self.answers)
            return super().pick(request, check_ticker)

    # (three asks in one task: each must fit its share of the timeout)
    arena = {"PICK_STABILITY_ASKS": "2", "RANDOM_CONTROL": "false", "OPENAI_MAX_RETRIES": "0"}
    run = run_weekly(JUNE_1, arena=arena, picker=Wavering(), daily_limit=ROOMY)
    # Then the committed picks are the first answer's, and only they are tracked
    assert run.report.status == "SUCCEEDED", run.report.cause
    detail = _detail(conn, run)
    assert [(p.ticker, p.action) for p in detail.picks] == [
        ("AAPL", "BUY"),
        ("MSFT", "SELL"),
        ("NVDA", "BUY"),
    ]
    # And the entry publishes the two extra answers' overlap with them
    (entry,) = detail.entries
    assert entry.stability is not None
    assert (entry.stability.asks, entry.stability.answered) == (2, 2)
    assert str(entry.stability.ticker_overlap) == "0.666667"
    assert str(entry.stability.call_overlap) == "0.333333"
    # And the extra answers are kept, in order
    kept = conn.execute(
        "SELECT payload -> 'calls' FROM events WHERE event_type = 'picker_stability_answered'"
        " ORDER BY (payload ->> 'ask')::int"
    ).fetchall()
    assert [row[0] for row in kept] == [
        [["AAPL", "BUY"], ["MSFT", "BUY"], ["NVDA", "BUY"]],
        [["AAPL", "SELL"], ["KO", "BUY"], ["V", "SELL"]],
    ]


def test_without_the_setting_no_model_is_asked_again(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    run = run_weekly(JUNE_1, picker=_alpha())
    (entry,) = _detail(conn, run).entries
    assert entry.stability is None
    assert conn.execute(
        "SELECT count(*) FROM events WHERE event_type = 'picker_stability_answered'"
    ).fetchone() == (0,)


def test_a_retry_of_an_ask_after_its_answer_was_kept_reuses_it(
    run_weekly: RunWeekly, conn: psycopg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the database drops once just after alpha's answer was kept (a lost response)
    from alpha_monday.domain.errors import DatabaseUnavailable
    from alpha_monday.workflow import asking

    real = asking._answered
    dropped: list[bool] = []

    def answered_after_a_drop(*args: Any) -> Any:
        if not dropped:
            dropped.append(True)
            raise DatabaseUnavailable("the database connection failed")
        return real(*args)

    monkeypatch.setattr(asking, "_answered", answered_after_a_drop)
    asked: Counter[str] = Counter()

    class Counted(FixedPicker):
        def pick(self, request: PickRequest, check_ticker: TickerCheck) -> PickerResult:
            asked[self.model] += 1
            return super().pick(request, check_ticker)

    alpha = Counted(("AAPL", "BUY"), ("MSFT", "SELL"), ("NVDA", "BUY"))
    alpha.model = "model-a"
    # When the week runs (Step Functions retries the ask for DatabaseUnavailable)
    run = run_weekly(
        JUNE_1, arena=ARENA, pickers={"alpha": alpha, "beta": _beta()}, daily_limit=ROOMY
    )
    # Then alpha's task ran twice but the model was asked once: its kept answer was reused
    assert run.report.status == "SUCCEEDED", run.report.cause
    assert run.report.invocations["AskContenderFunction"] == 3  # alpha twice, beta once
    assert asked == {"model-a": 1}
    accepted = conn.execute(
        "SELECT count(*) FROM events WHERE event_type = 'picker_answered'"
        " AND payload ->> 'contender' = 'alpha'"
    ).fetchone()
    assert accepted == (1,)
