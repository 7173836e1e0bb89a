"""Whole weekly runs through the real state machine definition, on embedded PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from uuid import UUID

import psycopg

from alpha_monday.db.batches import get_batch_detail
from alpha_monday.db.call_budget import calls_per_day
from alpha_monday.db.events import list_events
from alpha_monday.domain.errors import (
    MarketDataPremiumOnly,
    MarketDataRateLimited,
    MarketDataUnavailable,
)
from alpha_monday.domain.model import Checkpoint
from alpha_monday.domain.picks import PickerResult, PickRequest, TickerCheck
from alpha_monday.integrations.offline import SyntheticMarket
from alpha_monday_local.sfn_runner import SimulatedClock
from tests.conftest import empty_database
from tests.workflow.conftest import (
    FixedPicker,
    NeverPublished,
    RunWeekly,
    ScriptedFailures,
    WeeklyRun,
    stored_close,
)

JUNE_1 = date(2026, 6, 1)
PICKS = FixedPicker(("AAPL", "BUY"), ("MSFT", "SELL"), ("NVDA", "BUY"))


def _checkpoint_on(conn: psycopg.Connection, batch_id: str, day: date) -> Checkpoint:
    detail = get_batch_detail(conn, UUID(batch_id))
    return next(c for c in detail.checkpoints if c.checkpoint_date == day)


def _premium_only_on_june_3(clock: SimulatedClock, synthetic: SyntheticMarket) -> ScriptedFailures:
    """An unrecoverable market data error on the third day of the fortnight."""
    failure = MarketDataPremiumOnly("SPY", "premium endpoint")
    return ScriptedFailures(synthetic, clock, {date(2026, 6, 3): [failure]})


def _count(conn: psycopg.Connection, table: str) -> int:
    row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    assert row is not None
    return int(row[0])


def test_a_full_batch_completes_with_metrics_matching_an_independent_recomputation(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    # Given BUY and SELL picks for the fortnight starting Monday June 1st
    # When the weekly run executes
    run = run_weekly(JUNE_1, picker=PICKS)
    # Then it succeeded, the loop ran exactly 14 times, and the batch is completed
    assert run.report.status == "SUCCEEDED", run.report.cause
    assert run.report.invocations["CheckpointFunction"] == 14
    assert run.report.states_entered().count("RecordCheckpoint") == 14
    assert run.report.states_entered().count("WaitForMarketClose") == 14
    detail = get_batch_detail(conn, run.output["batch_id"])
    assert detail.batch.status == "completed"
    assert run.output["status"] == "completed"
    # And it holds the baseline plus 14 checkpoints: 10 sessions computed, 4 weekend days skipped
    assert len(detail.checkpoints) == 15
    baseline, *days = detail.checkpoints
    assert baseline.checkpoint_date == date(2026, 5, 29)
    assert [c.checkpoint_date for c in days] == [JUNE_1 + timedelta(d) for d in range(14)]
    assert [c.status for c in days].count("computed") == 10
    assert {c.skip_reason for c in days if c.status == "skipped"} == {"weekend"}
    # And every metric equals the formulas of docs/scoring.md recomputed from the cached closes
    # (no corporate action falls in this fortnight for these symbols), rounded once to 6
    # places half-even
    assert detail.corporate_actions == ()
    six = Decimal("0.000001")
    spy_start = stored_close(conn, "SPY", baseline.checkpoint_date)
    assert detail.batch.benchmark_initial_price == spy_start
    for checkpoint in (c for c in days if c.status == "computed"):
        spy = stored_close(conn, "SPY", checkpoint.checkpoint_date)
        benchmark = (spy - spy_start) / spy_start * 100
        assert checkpoint.benchmark_return_pct == benchmark.quantize(six, ROUND_HALF_EVEN)
        for pick, metric in zip(detail.picks, checkpoint.metrics, strict=True):
            start = stored_close(conn, pick.ticker, baseline.checkpoint_date)
            now = stored_close(conn, pick.ticker, checkpoint.checkpoint_date)
            direction = 1 if pick.action == "BUY" else -1
            r_pick = (now - start) / start * 100
            assert pick.initial_price == start
            assert metric.current_price == now
            assert metric.absolute_return_pct == (direction * r_pick).quantize(six, ROUND_HALF_EVEN)
            assert metric.vs_benchmark_pct == (direction * (r_pick - benchmark)).quantize(
                six, ROUND_HALF_EVEN
            )
    # And the picker's provenance is in the audit trail
    (event,) = list_events(conn, detail.batch.id)
    assert event.event_type == "picks_generated"
    assert event.payload["model"] == "fixed-test-picker"


def test_market_data_calls_of_a_full_batch_stay_within_the_free_tier(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    run_weekly(JUNE_1, picker=PICKS)
    calls = calls_per_day(conn, "alpha_vantage")
    # Monday: 4 baseline closes and 4 look-ups of SPLITS + DIVIDENDS, then the day's 4 closes;
    # each session's 4 closes; the completion audit's 4 look-ups (no move needed explaining)
    assert max(calls.values()) <= 25
    assert sum(calls.values()) == 4 + 4 * 2 + 4 * 10 + 4 * 2
    assert calls[JUNE_1] == 4 + 8 + 4


def test_an_nyse_holiday_is_skipped_without_a_market_call(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    # Given the fortnight of Thanksgiving 2026 (Thursday November 26th)
    run = run_weekly(
        date(2026, 11, 23),
        source=lambda clock, synthetic: ScriptedFailures(synthetic, clock, {}),
    )
    assert run.report.status == "SUCCEEDED", run.report.cause
    detail = get_batch_detail(conn, run.output["batch_id"])
    thanksgiving = next(c for c in detail.checkpoints if c.checkpoint_date == date(2026, 11, 26))
    # Then the holiday is skipped with its name, and no market call was made that day
    assert thanksgiving.status == "skipped"
    assert thanksgiving.skip_reason == "holiday: Thanksgiving Day"
    assert isinstance(run.source, ScriptedFailures)
    assert date(2026, 11, 26) not in {day for day, _ in run.source.calls}
    assert run.output["checkpoints_computed"] == 9


def test_a_transient_market_failure_is_retried_then_succeeds(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    day = date(2026, 6, 3)
    run = run_weekly(
        JUNE_1,
        source=lambda clock, synthetic: ScriptedFailures(
            synthetic, clock, {day: [MarketDataUnavailable("SPY", "HTTP 503 from Alpha Vantage")]}
        ),
    )
    assert run.report.status == "SUCCEEDED", run.report.cause
    assert run.report.invocations["CheckpointFunction"] == 15  # 14 + one retry
    assert len(run.report.retry_sleeps) == 1
    checkpoint = _checkpoint_on(conn, run.output["batch_id"], day)
    assert checkpoint.status == "computed"


def test_a_rate_limit_storm_is_ridden_out_with_backoff(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    day = date(2026, 6, 4)
    storm = [MarketDataRateLimited("AAPL", "Alpha Vantage: rate limit") for _ in range(4)]
    run = run_weekly(
        JUNE_1, source=lambda clock, synthetic: ScriptedFailures(synthetic, clock, {day: storm})
    )
    assert run.report.status == "SUCCEEDED", run.report.cause
    assert len(run.report.retry_sleeps) == 4
    # Full jitter: every back-off is at most its capped exponential interval
    assert all(0 <= s <= 3600 for s in run.report.retry_sleeps)
    checkpoint = _checkpoint_on(conn, run.output["batch_id"], day)
    assert checkpoint.status == "computed"


def test_the_same_monday_backs_off_by_the_same_jittered_draws_on_every_run(
    run_weekly: RunWeekly, database_url: str
) -> None:
    # Given a rate-limit storm whose full-jitter back-offs move the simulated clock
    day = date(2026, 6, 4)

    def stormy() -> WeeklyRun:
        storm = [MarketDataRateLimited("AAPL", "Alpha Vantage: rate limit") for _ in range(4)]
        return run_weekly(
            JUNE_1, source=lambda clock, synthetic: ScriptedFailures(synthetic, clock, {day: storm})
        )

    # When the same Monday runs twice from an empty database
    first = stormy()
    empty_database(database_url)
    second = stormy()
    # Then both runs drew the same back-offs and so told the same story
    assert len(first.report.retry_sleeps) == 4
    assert second.report.retry_sleeps == first.report.retry_sleeps
    assert second.report.states_entered() == first.report.states_entered()


def test_a_close_that_never_arrives_is_a_skipped_day_not_a_failed_batch(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    day = date(2026, 6, 5)
    run = run_weekly(JUNE_1, source=lambda clock, synthetic: NeverPublished(synthetic, missing=day))
    assert run.report.status == "SUCCEEDED", run.report.cause
    detail = get_batch_detail(conn, run.output["batch_id"])
    assert detail.batch.status == "completed"
    checkpoint = next(c for c in detail.checkpoints if c.checkpoint_date == day)
    assert checkpoint.status == "skipped"
    assert checkpoint.skip_reason == "close never published"
    # Retried 6 times, then recorded as missing, and the reason is in events
    assert run.report.invocations["CheckpointFunction"] == 14 + 6 + 1
    skipped = [
        e for e in list_events(conn, detail.batch.id) if e.event_type == "checkpoint_skipped"
    ]
    assert len(skipped) == 1
    assert skipped[0].payload["checkpoint_date"] == "2026-06-05"
    assert "no close for 2026-06-05 yet" in skipped[0].payload["cause"]


def test_an_unrecoverable_failure_fails_the_batch_and_leaves_no_partial_checkpoint(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    run = run_weekly(JUNE_1, source=_premium_only_on_june_3)
    # Then the execution failed with the error's name, and stopped looping
    assert run.report.status == "FAILED"
    assert run.report.error == "MarketDataPremiumOnly"
    assert run.report.states_entered()[-2:] == ["MarkBatchFailed", "WeeklyRunFailed"]
    batch_id = conn.execute("SELECT id FROM batches").fetchone()[0]  # type: ignore[index]
    detail = get_batch_detail(conn, batch_id)
    assert detail.batch.status == "failed"
    assert [c.checkpoint_date for c in detail.checkpoints] == [
        date(2026, 5, 29),
        JUNE_1,
        date(2026, 6, 2),
    ]
    failure = next(e for e in list_events(conn, batch_id) if e.event_type == "batch_failed")
    assert failure.payload["error"] == "MarketDataPremiumOnly"
    assert "premium endpoint" in failure.payload["cause"]


def test_the_same_monday_twice_fails_fast_and_leaves_the_first_batch_untouched(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    first = run_weekly(JUNE_1, picker=PICKS)
    before = get_batch_detail(conn, first.output["batch_id"])
    events_before = _count(conn, "events")
    # When the same Monday runs again
    second = run_weekly(JUNE_1, picker=PICKS)
    # Then it ends as BatchAlreadyExists, without a model call or any write
    assert second.report.status == "FAILED"
    assert second.report.error == "BatchAlreadyExists"
    assert "MarkBatchFailed" not in second.report.states_entered()
    assert second.report.invocations == Counter({"PlanRunFunction": 1})
    assert get_batch_detail(conn, first.output["batch_id"]) == before
    assert _count(conn, "events") == events_before


def test_a_run_date_that_is_not_a_monday_is_refused_and_nothing_is_written(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    run = run_weekly(JUNE_1, execution_input={"run_date": "2026-06-02"})
    assert run.report.status == "FAILED"
    assert run.report.error == "InvalidRunDate"
    assert run.report.cause is not None
    assert "2026-06-02 is a Tuesday" in run.report.cause
    for table in ("batches", "events", "checkpoints", "prices"):
        assert _count(conn, table) == 0


def test_a_failed_batch_can_be_resumed_to_completion(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    # Given a batch that failed on its third day
    failed = run_weekly(JUNE_1, source=_premium_only_on_june_3)
    assert failed.report.status == "FAILED"
    row = conn.execute("SELECT id FROM batches").fetchone()
    assert row is not None
    batch_id = row[0]
    recorded_before = get_batch_detail(conn, batch_id).checkpoints
    # When an operator starts the state machine with {"resume_batch_id": ...}
    resumed = run_weekly(JUNE_1, execution_input={"resume_batch_id": str(batch_id)})
    # Then the same batch is tracked to completion, keeping what it had recorded
    assert resumed.report.status == "SUCCEEDED", resumed.report.cause
    detail = get_batch_detail(conn, batch_id)
    assert detail.batch.status == "completed"
    assert len(detail.checkpoints) == 15
    assert detail.checkpoints[: len(recorded_before)] == recorded_before
    lifecycle = {"picks_generated", "batch_failed", "batch_resumed", "batch_completed"}
    types = [e.event_type for e in list_events(conn, batch_id) if e.event_type in lifecycle]
    assert types == ["picks_generated", "batch_failed", "batch_resumed"]


def test_resuming_a_completed_or_unknown_batch_is_refused(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    done = run_weekly(JUNE_1, picker=PICKS)
    events_before = _count(conn, "events")
    for resume, error in (
        (done.output["batch_id"], "BatchNotResumable"),
        ("00000000-0000-4000-8000-000000000000", "BatchNotResumable"),
        ("nope", "InvalidRunInput"),  # not a batch id at all: refused at the boundary
    ):
        run = run_weekly(JUNE_1, execution_input={"resume_batch_id": resume})
        assert run.report.status == "FAILED"
        assert run.report.error == error
        assert run.report.states_entered()[-1] == "InvalidRunInput"
    assert get_batch_detail(conn, done.output["batch_id"]).batch.status == "completed"
    assert _count(conn, "events") == events_before


def test_the_picker_is_shown_its_track_record_of_completed_batches(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    # Given a completed batch two weeks earlier
    first = run_weekly(JUNE_1, picker=PICKS)
    final = next(
        c
        for c in reversed(get_batch_detail(conn, first.output["batch_id"]).checkpoints)
        if c.status == "computed"
    )
    # When the next batch asks for picks
    seen: list[PickRequest] = []

    class RecordingPicker(FixedPicker):
        def pick(self, request: PickRequest, check_ticker: TickerCheck) -> PickerResult:
            seen.append(request)
            return super().pick(request, check_ticker)

    run_weekly(
        date(2026, 6, 15), picker=RecordingPicker(("AMD", "BUY"), ("KO", "SELL"), ("V", "BUY"))
    )
    # Then the request holds that batch's picks and their final returns vs the benchmark
    (request,) = seen
    (past,) = request.track_record
    assert past.run_date == JUNE_1
    assert {(p.ticker, p.action, p.final_vs_benchmark_pct) for p in past.picks} == {
        (m.ticker, a, m.vs_benchmark_pct)
        for m, a in zip(final.metrics, ("BUY", "SELL", "BUY"), strict=True)
    }
