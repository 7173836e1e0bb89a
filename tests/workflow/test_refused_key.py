"""A refused Alpha Vantage key (revoked, expired, mistyped) is never taken for an unknown
symbol: the run alarms, holds the days, and heals them once the key is fixed. Through the
real client, over HTTP, against a local imitation of Alpha Vantage."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import psycopg
import pytest

from alpha_monday.db.batches import get_batch_detail
from alpha_monday.db.events import list_events
from alpha_monday.domain.market_time import market_date
from alpha_monday.integrations.alpha_vantage import AlphaVantageSource
from alpha_monday.integrations.offline import SyntheticMarket
from alpha_monday_local.sfn_runner import SimulatedClock
from tests.fake_alpha_vantage import FakeAlphaVantage, serving
from tests.fakes import AV_KEY_REFUSED
from tests.workflow.conftest import FixedPicker, RunWeekly

pytestmark = pytest.mark.slow

JUNE_1 = date(2026, 6, 1)
KEY_REVOKED_ON = date(2026, 6, 8)
PICKS = FixedPicker(("AAPL", "BUY"), ("MSFT", "SELL"), ("NVDA", "BUY"))
REFUSED = "provider refused the key"


class KeyDesk:
    """The operator's side: the key works until it is revoked, and again once fixed."""

    def __init__(self) -> None:
        self.revoked_from: date | None = None
        self.clock: SimulatedClock | None = None

    def refuses_now(self) -> bool:
        assert self.clock is not None
        return self.revoked_from is not None and market_date(self.clock.now()) >= self.revoked_from


@pytest.fixture
def alpha_vantage() -> Iterator[tuple[FakeAlphaVantage, KeyDesk]]:
    # The imitation serves the synthetic market's closes, as of the run's simulated clock.
    desk = KeyDesk()
    everything = SyntheticMarket(now=lambda: datetime(2026, 7, 1, tzinfo=UTC))
    closes = {
        symbol: {day: str(close) for day, close in everything.daily_closes(symbol).closes.items()}
        for symbol in ("SPY", "AAPL", "MSFT", "NVDA")
    }

    def refuse(_: dict[str, str], __: int) -> bytes | None:
        return json.dumps(AV_KEY_REFUSED).encode() if desk.refuses_now() else None

    def now() -> datetime:
        assert desk.clock is not None
        return desk.clock.now()

    with serving(FakeAlphaVantage(closes=closes, now=now, interceptor=refuse)) as fake:
        yield fake, desk


def _run(run_weekly: RunWeekly, fake: FakeAlphaVantage, desk: KeyDesk, **kwargs: Any) -> Any:
    def source(clock: SimulatedClock, _: SyntheticMarket) -> AlphaVantageSource:
        desk.clock = clock
        return AlphaVantageSource("sentinel-key", 5, base_url=fake.url)

    return run_weekly(JUNE_1, picker=PICKS, source=source, **kwargs)


def test_a_refused_key_fails_the_run_at_once_before_any_model_is_asked(
    run_weekly: RunWeekly, conn: psycopg.Connection, alpha_vantage: Any
) -> None:
    # Given a key the provider refuses from the start
    fake, desk = alpha_vantage
    desk.revoked_from = JUNE_1
    # When the weekly run starts
    run = _run(run_weekly, fake, desk)
    # Then PlanRun failed once, by name, before any model call, and no batch exists
    assert run.report.status == "FAILED"
    assert run.report.invocations["PlanRunFunction"] == 1
    assert run.report.invocations["AskContenderFunction"] == 0
    assert "MarketDataKeyRefused" in (run.report.error or "") + (run.report.cause or "")
    assert conn.execute("SELECT count(*) FROM batches").fetchone() == (0,)
    assert len(fake.requests) == 1  # SPY's baseline, refused; never retried


def test_a_key_revoked_mid_fortnight_holds_the_days_and_a_resume_heals_them(
    run_weekly: RunWeekly, conn: psycopg.Connection, alpha_vantage: Any
) -> None:
    # Given the key is revoked from Monday June 8th on
    fake, desk = alpha_vantage
    desk.revoked_from = KEY_REVOKED_ON
    # When the fortnight runs
    run = _run(run_weekly, fake, desk)
    # Then the days from June 8th are held with the healable reason (never "symbol
    # unknown"), and CompleteBatch fails the batch rather than complete it without them
    assert run.report.status == "FAILED"
    batch_id = UUID(run.output["batch_id"]) if run.output else _only_batch(conn)
    detail = get_batch_detail(conn, batch_id)
    assert detail.batch.status == "failed"
    held = [c.checkpoint_date for c in detail.checkpoints if c.skip_reason == REFUSED]
    assert held == [date(2026, 6, d) for d in (8, 9, 10, 11, 12)]
    assert not [c for c in detail.checkpoints if (c.skip_reason or "").startswith("symbol")]
    failed = [e.payload for e in list_events(conn, batch_id) if e.event_type == "batch_failed"]
    assert failed[-1]["error"] == "MarketDataKeyRefused"
    assert "fix the key, then resume it" in failed[-1]["cause"]
    # When the operator fixes the key and resumes the batch
    desk.revoked_from = None
    resumed = _run(run_weekly, fake, desk, execution_input={"resume_batch_id": str(batch_id)})
    # Then every held day is computed and the batch completes
    assert resumed.report.status == "SUCCEEDED", resumed.report.cause
    detail = get_batch_detail(conn, batch_id)
    assert detail.batch.status == "completed"
    assert [c for c in detail.checkpoints if c.skip_reason == REFUSED] == []
    for day in held:
        (checkpoint,) = [c for c in detail.checkpoints if c.checkpoint_date == day]
        assert checkpoint.status == "computed"
        assert len(checkpoint.metrics) == 3


def _only_batch(conn: psycopg.Connection) -> UUID:
    row = conn.execute("SELECT id FROM batches").fetchone()
    assert row is not None
    return UUID(str(row[0]))
