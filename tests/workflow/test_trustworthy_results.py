"""Published results you can trust, through the real state machine: self-healing days, a
symbol lost mid-fortnight, splits confirmed or not, and a fortnight CompleteBatch refuses."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from uuid import UUID

import psycopg

from alpha_monday.db.batches import get_batch_detail
from alpha_monday.db.call_budget import calls_per_day
from alpha_monday.db.events import list_events
from alpha_monday.domain.errors import MarketDataUnavailable
from alpha_monday.domain.model import BatchDetail, Checkpoint
from alpha_monday.integrations.offline import SyntheticMarket
from alpha_monday_local.sfn_runner import SimulatedClock
from tests.workflow.conftest import (
    FixedPicker,
    RunWeekly,
    ScriptedFailures,
    SplitAt,
    stored_close,
)

JUNE_1 = date(2026, 6, 1)
JUNE_3 = date(2026, 6, 3)
PICKS = FixedPicker(("AAPL", "BUY"), ("MSFT", "SELL"), ("NVDA", "BUY"))
SIX = Decimal("0.000001")


def _day(detail: BatchDetail, day: date) -> Checkpoint:
    return next(c for c in detail.checkpoints if c.checkpoint_date == day)


def _computed_since(detail: BatchDetail, first_day: date) -> list[Checkpoint]:
    """The computed days from `first_day` on; never none (a loop over them checks something)."""
    days = [
        c for c in detail.checkpoints if c.status == "computed" and c.checkpoint_date >= first_day
    ]
    assert days, f"no computed day from {first_day} on"
    return days


def _outage_on(day: date) -> object:
    def source(clock: SimulatedClock, synthetic: SyntheticMarket) -> ScriptedFailures:
        failures = [MarketDataUnavailable("SPY", "HTTP 503 from Alpha Vantage")] * 30
        return ScriptedFailures(synthetic, clock, {day: list(failures)})

    return source


def test_an_outage_day_is_healed_by_the_next_checkpoint_at_no_extra_call(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    # Given Alpha Vantage is down all of Wednesday June 3rd, past every retry
    run = run_weekly(JUNE_1, picker=PICKS, source=_outage_on(JUNE_3))
    # Then the batch completes, and Wednesday was first skipped as "provider unavailable"
    assert run.report.status == "SUCCEEDED", run.report.cause
    batch_id = UUID(run.output["batch_id"])
    events = list_events(conn, batch_id)
    skipped = [e for e in events if e.event_type == "checkpoint_skipped"]
    assert [e.payload["reason"] for e in skipped] == ["provider unavailable"]
    # And Thursday's checkpoint filled it in from the series it fetched anyway
    healed = [e for e in events if e.event_type == "checkpoint_healed"]
    assert [e.payload["checkpoint_date"] for e in healed] == ["2026-06-03"]
    assert healed[0].payload["previous_reason"] == "provider unavailable"
    wednesday = _day(get_batch_detail(conn, batch_id), JUNE_3)
    assert wednesday.status == "computed"
    assert wednesday.benchmark_price == stored_close(conn, "SPY", JUNE_3)
    assert len(wednesday.metrics) == 3
    # And Thursday cost its usual 4 calls (SPY and the 3 picks): healing cost none
    assert calls_per_day(conn, "alpha_vantage")[date(2026, 6, 4)] == 4


def test_an_outage_on_the_last_session_is_healed_by_complete_batch(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    # Given an outage on Friday June 12th, the fortnight's last session (then a weekend)
    run = run_weekly(JUNE_1, picker=PICKS, source=_outage_on(date(2026, 6, 12)))
    # Then CompleteBatch fetched the missing close and completed a whole fortnight
    assert run.report.status == "SUCCEEDED", run.report.cause
    assert run.output["healed_dates"] == ["2026-06-12"]
    detail = get_batch_detail(conn, UUID(run.output["batch_id"]))
    assert detail.batch.status == "completed"
    assert _day(detail, date(2026, 6, 12)).status == "computed"
    assert run.output["final_checkpoint_date"] == "2026-06-12"


def test_a_confirmed_split_adjusts_the_baseline_instead_of_publishing_minus_half(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    # Given AAPL splits 2:1 on Wednesday June 3rd, and Alpha Vantage's split history says so
    sources: list[SplitAt] = []

    def source(clock: SimulatedClock, synthetic: SyntheticMarket) -> SplitAt:
        sources.append(SplitAt(synthetic, "AAPL", JUNE_3, Decimal(2), reported=True))
        return sources[0]

    run = run_weekly(JUNE_1, picker=PICKS, source=source)
    assert run.report.status == "SUCCEEDED", run.report.cause
    detail = get_batch_detail(conn, UUID(run.output["batch_id"]))
    aapl = next(p for p in detail.picks if p.ticker == "AAPL")
    # Then the split is counted for the batch from its date, visible in the detail, and in events
    splits = [a for a in detail.corporate_actions if a.kind == "split"]
    assert [(a.symbol, a.action_date, a.value, a.first_counted_on) for a in splits] == [
        ("AAPL", JUNE_3, Decimal(2), JUNE_3)
    ]
    (applied,) = [
        e
        for e in list_events(conn, detail.batch.id)
        if e.event_type == "corporate_action_counted" and e.payload["kind"] == "split"
    ]
    assert applied.payload["symbol"] == "AAPL"
    # And from June 3rd AAPL's return is measured from half its baseline: no -50 %
    spy_start = detail.batch.benchmark_initial_price
    for checkpoint in _computed_since(detail, JUNE_3):
        metric = next(m for m in checkpoint.metrics if m.ticker == "AAPL")
        r_pick = (metric.current_price - aapl.initial_price / 2) / (aapl.initial_price / 2) * 100
        assert checkpoint.benchmark_price is not None
        spy = (checkpoint.benchmark_price - spy_start) / spy_start * 100
        assert metric.absolute_return_pct == r_pick.quantize(SIX, ROUND_HALF_EVEN)
        assert metric.vs_benchmark_pct == (r_pick - spy).quantize(SIX, ROUND_HALF_EVEN)
        assert metric.absolute_return_pct > -20
    # And the split, announced ahead, was known from the baseline's look-up: AAPL was looked
    # up then and at the completion audit only
    assert sources[0].split_calls.count("AAPL") == 2


def test_rerunning_the_whole_fortnight_changes_nothing(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    # Given a batch completed after an outage day was healed
    run = run_weekly(JUNE_1, picker=PICKS, source=_outage_on(JUNE_3))
    batch_id = UUID(run.output["batch_id"])
    before = get_batch_detail(conn, batch_id)
    # When it is failed and resumed (every day recorded again)
    conn.execute("UPDATE batches SET status = 'failed' WHERE id = %s", (batch_id,))
    resumed = run_weekly(
        JUNE_1 + timedelta(weeks=3),
        picker=PICKS,
        execution_input={"resume_batch_id": str(batch_id)},
    )
    # Then every published number is the same
    assert resumed.report.status == "SUCCEEDED", resumed.report.cause
    after = get_batch_detail(conn, batch_id)
    assert after.checkpoints == before.checkpoints
