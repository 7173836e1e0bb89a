"""Total returns through the real state machine on the offline market's scheduled actions:
a 20:1, a 3:2 and a 1:10 reverse split, dividends of a SELL, a spin-off the completion audit
finds, and a 1E-8 close that is never published."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

import psycopg

from alpha_monday.db.batches import get_batch_detail
from alpha_monday.db.events import list_events
from alpha_monday.domain.market_data import DailySeries
from alpha_monday.domain.model import BatchDetail, Checkpoint, PickMetric
from alpha_monday.integrations.offline import SyntheticMarket
from alpha_monday_local.sfn_runner import SimulatedClock
from tests.workflow.conftest import FixedPicker, RunWeekly, WrappedSource

JUNE_1 = date(2026, 6, 1)
SIX = Decimal("0.000001")


def _completed(run_weekly: RunWeekly, conn: psycopg.Connection, run_date: date) -> BatchDetail:
    run = run_weekly(run_date)
    assert run.report.status == "SUCCEEDED", run.report.cause
    detail = get_batch_detail(conn, run.output["batch_id"])
    assert detail.batch.status == "completed"
    return detail


def _metrics(detail: BatchDetail, ticker: str) -> list[tuple[Checkpoint, PickMetric]]:
    found = [
        (c, m)
        for c in detail.checkpoints
        if c.checkpoint_date >= detail.batch.run_date
        for m in c.metrics
        if m.ticker == ticker
    ]
    sessions = [
        c
        for c in detail.checkpoints
        if c.checkpoint_date >= detail.batch.run_date and c.status == "computed"
    ]
    assert len(found) == len(sessions) >= 9, f"{ticker} was not scored on every session"
    return found


def _total_return(detail: BatchDetail, ticker: str, day: date, close: Decimal) -> Decimal:
    """docs/scoring.md's total return, recomputed from the published fields alone."""
    baseline = min(c.checkpoint_date for c in detail.checkpoints)
    initial = (
        detail.batch.benchmark_initial_price
        if ticker == detail.batch.benchmark_symbol
        else next(p.initial_price for p in detail.picks if p.ticker == ticker)
    )
    actions = [a for a in detail.corporate_actions if a.symbol == ticker]

    def factor(after: date, through: date) -> Decimal:
        result = Decimal(1)
        for a in actions:
            if a.kind == "split" and after < a.action_date <= through:
                result *= a.value
        return result

    paid = sum(
        (
            a.value / factor(a.action_date, day)
            for a in actions
            if a.kind == "dividend" and baseline < a.action_date <= day
        ),
        Decimal(0),
    )
    adjusted = initial / factor(baseline, day)
    return (close + paid - adjusted) / adjusted * 100


def _assert_published_from_published_fields(detail: BatchDetail, ticker: str) -> None:
    action = next(p.action for p in detail.picks if p.ticker == ticker)
    direction = 1 if action == "BUY" else -1
    for checkpoint, metric in _metrics(detail, ticker):
        day = checkpoint.checkpoint_date
        assert checkpoint.benchmark_price is not None
        r_pick = _total_return(detail, ticker, day, metric.current_price)
        r_spy = _total_return(detail, "SPY", day, checkpoint.benchmark_price)
        assert metric.absolute_return_pct == (direction * r_pick).quantize(SIX, ROUND_HALF_EVEN)
        assert metric.vs_benchmark_pct == (direction * (r_pick - r_spy)).quantize(
            SIX, ROUND_HALF_EVEN
        )


def test_a_20_for_1_split_a_sell_over_its_ex_date_and_a_spin_off_found_by_the_audit(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    # Given the offline fortnight of June 1st: TSLA (BUY) splits 20:1 on June 3rd, UNH (SELL)
    # goes ex-dividend 2.21 on June 8th, PG (BUY) has a spin-off factor of 1.0460 on June 9th
    # that the provider lists only once effective
    detail = _completed(run_weekly, conn, JUNE_1)
    assert sorted(p.ticker for p in detail.picks) == ["PG", "TSLA", "UNH"]
    counted = {(a.symbol, a.kind, a.action_date, a.value) for a in detail.corporate_actions}
    assert counted == {
        ("TSLA", "split", date(2026, 6, 3), Decimal(20)),
        ("UNH", "dividend", date(2026, 6, 8), Decimal("2.21")),
        ("PG", "split", date(2026, 6, 9), Decimal("1.0460")),
    }
    # Then every published return is recomputable from the published closes and actions
    for ticker in ("TSLA", "UNH", "PG"):
        _assert_published_from_published_fields(detail, ticker)
    # And TSLA never shows the -95 % of an unadjusted split
    assert all(m.absolute_return_pct > -50 for _, m in _metrics(detail, "TSLA"))
    # And the SELL over UNH's ex-date pays the dividend: without it, it would score more
    june_8 = next(c for c in detail.checkpoints if c.checkpoint_date == date(2026, 6, 8))
    unh = next(m for m in june_8.metrics if m.ticker == "UNH")
    initial = next(p.initial_price for p in detail.picks if p.ticker == "UNH")
    without_dividend = -(unh.current_price - initial) / initial * 100
    assert unh.absolute_return_pct < without_dividend.quantize(SIX)
    # And the audit found PG's spin-off: June 9th to 12th were rescored, with a trace
    rescored = [c for c in detail.checkpoints if c.rescored_because]
    assert [c.checkpoint_date for c in rescored] == [date(2026, 6, d) for d in (9, 10, 11, 12)]
    assert all("completion audit" in (c.rescored_because or "") for c in rescored)
    assert all("PG" in (c.rescored_because or "") for c in rescored)
    events = [
        e for e in list_events(conn, detail.batch.id) if e.event_type == "checkpoint_rescored"
    ]
    assert len(events) == 4
    pg = str(next(p.id for p in detail.picks if p.ticker == "PG"))
    assert all(e.payload["old"]["picks"][pg][0] == "PG" for e in events)
    assert all(e.payload["old"]["picks"][pg] != e.payload["new"]["picks"][pg] for e in events)


def test_a_3_for_2_split_and_a_1_for_10_reverse_split_are_adjusted(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    # Given NVDA's 3:2 of 2025-11-26 and T's 1:10 reverse split of 2026-03-04 (offline)
    thanksgiving = _completed(run_weekly, conn, date(2025, 11, 24))
    march = _completed(run_weekly, conn, date(2026, 3, 2))
    # Then both are counted and no return shows the -33 % or +900 % of an unadjusted close
    assert ("NVDA", "split", Decimal("1.5")) in {
        (a.symbol, a.kind, a.value) for a in thanksgiving.corporate_actions
    }
    assert ("T", "split", Decimal("0.1")) in {
        (a.symbol, a.kind, a.value) for a in march.corporate_actions
    }
    for detail, ticker in ((thanksgiving, "NVDA"), (march, "T")):
        _assert_published_from_published_fields(detail, ticker)
        assert all(-25 < m.absolute_return_pct < 50 for _, m in _metrics(detail, ticker))


@dataclass
class TinyCloseOn(WrappedSource):
    """Wraps a source: `symbol`'s close on `day` is sent as 0.00000001."""

    symbol: str = ""
    day: date = JUNE_1
    name: str = "a market with a 1E-8 close"

    def daily_closes(self, symbol: str) -> DailySeries:
        series = self.inner.daily_closes(symbol)
        if symbol != self.symbol or self.day not in series.closes:
            return series
        return DailySeries(
            closes={**series.closes, self.day: Decimal("0.00000001")}, rejected=series.rejected
        )


def test_a_1e_8_close_is_held_then_an_outlier_for_good(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    # Given AAPL's close of June 3rd sent as 0.00000001 (a sane price by the rules)
    def source(clock: SimulatedClock, synthetic: SyntheticMarket) -> TinyCloseOn:
        return TinyCloseOn(synthetic, symbol="AAPL", day=date(2026, 6, 3))

    picks = FixedPicker(("AAPL", "BUY"), ("MSFT", "SELL"), ("KO", "BUY"))
    run = run_weekly(JUNE_1, picker=picks, source=source)
    assert run.report.status == "SUCCEEDED", run.report.cause
    detail = get_batch_detail(conn, run.output["batch_id"])
    june_3 = next(c for c in detail.checkpoints if c.checkpoint_date == date(2026, 6, 3))
    # Then June 3rd never publishes AAPL (no -100 %): the next session made it an outlier
    assert "AAPL" not in {m.ticker for m in june_3.metrics}
    (skip,) = june_3.skipped_picks
    assert skip.reason.startswith("outlier: AAPL (close 0.00000001 was")
    # And every other session of AAPL is published
    published = [c for c in detail.checkpoints for m in c.metrics if m.ticker == "AAPL"]
    assert len(published) == 9
    types = [e.event_type for e in list_events(conn, detail.batch.id)]
    assert "checkpoint_rescored" in types


def test_the_benchmarks_quarterly_dividend_enters_every_score_of_its_fortnight(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    # Given the offline fortnight of 2026-09-14: SPY goes ex-dividend 1.75 on the 18th
    detail = _completed(run_weekly, conn, date(2026, 9, 14))
    assert ("SPY", "dividend", date(2026, 9, 18), Decimal("1.75")) in {
        (a.symbol, a.kind, a.action_date, a.value) for a in detail.corporate_actions
    }
    # Then SPY's return counts it from that day, and every pick's vs-SPY score with it
    for checkpoint in detail.checkpoints:
        if checkpoint.benchmark_return_pct is None or checkpoint.benchmark_price is None:
            continue
        r_spy = _total_return(detail, "SPY", checkpoint.checkpoint_date, checkpoint.benchmark_price)
        assert checkpoint.benchmark_return_pct == r_spy.quantize(SIX, ROUND_HALF_EVEN)
    for pick in detail.picks:
        _assert_published_from_published_fields(detail, pick.ticker)


@dataclass
class SpikeOn(WrappedSource):
    """Wraps a source: `symbol`'s close on `day` is sent `factor` times too high."""

    symbol: str = "SPY"
    day: date = JUNE_1
    factor: Decimal = Decimal("1.4")
    name: str = "a market with one wrong close"

    def daily_closes(self, symbol: str) -> DailySeries:
        series = self.inner.daily_closes(symbol)
        if symbol != self.symbol or self.day not in series.closes:
            return series
        wrong = (series.closes[self.day] * self.factor).quantize(Decimal("0.0001"))
        return DailySeries(closes={**series.closes, self.day: wrong}, rejected=series.rejected)


def test_a_wrong_benchmark_close_holds_its_day_then_voids_it_for_good(
    run_weekly: RunWeekly, conn: psycopg.Connection
) -> None:
    # Given SPY's close of June 3rd sent 40 % too high, the next session back to normal
    def source(clock: SimulatedClock, synthetic: SyntheticMarket) -> SpikeOn:
        return SpikeOn(synthetic, day=date(2026, 6, 3))

    picks = FixedPicker(("AAPL", "BUY"), ("MSFT", "SELL"), ("KO", "BUY"))
    run = run_weekly(JUNE_1, picker=picks, source=source)
    # Then the batch completes; June 3rd publishes no return against the wrong close
    assert run.report.status == "SUCCEEDED", run.report.cause
    detail = get_batch_detail(conn, run.output["batch_id"])
    june_3 = next(c for c in detail.checkpoints if c.checkpoint_date == date(2026, 6, 3))
    assert june_3.status == "skipped"
    assert (june_3.skip_reason or "").startswith("outlier: SPY (close ")
    assert june_3.benchmark_price is None
    assert june_3.metrics == ()
    # And every other session is computed
    sessions = [c for c in detail.checkpoints if c.checkpoint_date >= JUNE_1]
    assert sum(1 for c in sessions if c.status == "computed") == 9
