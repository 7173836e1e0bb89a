"""Weekly-run benchmark: the arena's market-data budget, through the real state machine.

For 1 to 4 offline model contenders plus the random control, on the free tier (25 calls a
day) and on a premium key (no daily limit; the adjusted series carries the corporate
actions), it runs `--batches` consecutive Mondays (so two fortnights overlap every week)
on a simulated clock and prints, per configuration: the calls on the busiest calendar day,
on Mondays (picking, the control's draw and two checkpoints), on a weekday, the sessions a
rate limit held back and what became of them (healed by a later checkpoint, or lost), and
whether the configuration is refused at cold start. Then, for `--contenders` models and
the control, the calls of every calendar day and the track record per contender, paired
against the control.

Run: .venv/bin/python -m benchmarks.workflow [--batches 4] [--contenders 2]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import psycopg

from alpha_monday.api.track_record_models import track_record_out
from alpha_monday.config import reset_settings_cache
from alpha_monday.db.call_budget import calls_per_day
from alpha_monday.db.connection import close_connection
from alpha_monday.db.track_record import scored_picks
from alpha_monday.domain.errors import ConfigurationError
from alpha_monday.domain.model import BatchOrigin
from alpha_monday.domain.track_record import track_record
from alpha_monday.integrations.alpha_vantage import PROVIDER
from benchmarks.seed import fresh_bench_database

FREE_TIER_DAILY_CALLS = 25
SIMULATED: tuple[BatchOrigin, ...] = ("simulated",)
NO_DAILY_LIMIT = 100_000


@dataclass(frozen=True)
class Tier:
    name: str
    daily_limit: int
    premium: bool


TIERS = (
    Tier("free", FREE_TIER_DAILY_CALLS, premium=False),
    Tier("premium", NO_DAILY_LIMIT, premium=True),
)


@dataclass(frozen=True)
class Outcome:
    per_day: dict[date, int]
    completed: int
    held: int  # sessions a rate limit held back at first
    lost: int  # of them, never published (still skipped when the batch ended)
    record: dict[str, Any]


def _contenders(count: int) -> str:
    return json.dumps([{"name": f"model-{n + 1}", "model": "gpt-4o-mini"} for n in range(count)])


@contextmanager
def _configured(contenders: int, tier: Tier) -> Iterator[str]:
    """A fresh database and the environment of one configuration."""
    url = fresh_bench_database()
    environ = {
        "DATABASE_URL": url,
        "CONTENDERS": _contenders(contenders),
        "RANDOM_CONTROL": "true",
        "ALPHA_VANTAGE_DAILY_LIMIT": str(tier.daily_limit),
        "ALPHA_VANTAGE_PREMIUM": str(tier.premium).lower(),
    }
    saved = {key: os.environ.get(key) for key in environ}
    os.environ.update(environ)
    reset_settings_cache()
    close_connection()
    try:
        yield url
    finally:
        close_connection()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        reset_settings_cache()


def _held_and_lost(conn: psycopg.Connection) -> tuple[int, int]:
    """Sessions first skipped for the rate limit (their events), and those still skipped."""
    held = conn.execute(
        "SELECT count(*) FROM events WHERE event_type = 'checkpoint_skipped'"
        " AND payload ->> 'reason' = 'rate limited'"
    ).fetchone()
    lost = conn.execute(
        "SELECT count(*) FROM checkpoints WHERE status = 'skipped' AND skip_reason = 'rate limited'"
    ).fetchone()
    assert held is not None
    assert lost is not None
    return int(held[0]), int(lost[0])


def run_arena(contenders: int, tier: Tier, mondays: list[date]) -> Outcome | None:
    """The Mondays run in one configuration; None when it is refused at cold start."""
    from alpha_monday_local.run_week import recorded_batch, run_week  # noqa: PLC0415

    with _configured(contenders, tier) as url:
        try:
            for monday in mondays:
                run_week(monday)
        except ConfigurationError:
            return None
        completed = sum(
            1 for m in mondays if (d := recorded_batch(m)) and d.batch.status == "completed"
        )
        with psycopg.connect(url, autocommit=True) as conn:
            per_day = calls_per_day(conn, PROVIDER)
            held, lost = _held_and_lost(conn)
            # What GET /track-record?origin=simulated answers.
            record = track_record_out(SIMULATED, track_record(scored_picks(conn, SIMULATED)))
        return Outcome(per_day, completed, held, lost, record.model_dump(mode="json"))


def _weekdays(per_day: dict[date, int]) -> tuple[int, int, int]:
    """The busiest day, the busiest Monday, and the median other weekday."""
    mondays = [calls for day, calls in per_day.items() if day.weekday() == 0]
    others = [calls for day, calls in per_day.items() if 0 < day.weekday() < 5]
    return max(per_day.values()), max(mondays), int(statistics.median(others))


def print_budget_table(mondays: list[date]) -> None:
    print(
        f"market-data calls per calendar day, {len(mondays)} Mondays (two fortnights overlap"
        " every week), offline models + the random control"
    )
    print(
        f"{'models':>6}  {'tier':<8}{'busiest':>8}{'Monday':>8}{'weekday':>9}"
        f"{'held':>6}{'healed':>8}{'lost':>6}  {'completed':<10}"
    )
    for tier in TIERS:
        for contenders in range(1, 5):
            outcome = run_arena(contenders, tier, mondays)
            if outcome is None:
                print(f"{contenders:>6}  {tier.name:<8}  refused at cold start (docs/arena.md)")
                continue
            busiest, monday, weekday = _weekdays(outcome.per_day)
            print(
                f"{contenders:>6}  {tier.name:<8}{busiest:>8}{monday:>8}{weekday:>9}"
                f"{outcome.held:>6}{outcome.held - outcome.lost:>8}{outcome.lost:>6}"
                f"  {outcome.completed}/{len(mondays)}"
            )


def _pct(value: str | None) -> str:
    return "n/a" if value is None else f"{float(value):+.2f}"


def print_arena(contenders: int, mondays: list[date]) -> None:
    outcome = run_arena(contenders, TIERS[0], mondays)
    print()
    print(f"{contenders} offline models + the random control, free tier, {len(mondays)} Mondays")
    if outcome is None:
        print("refused at cold start")
        return
    print(f"{'calendar day':<14}{'weekday':<10}{'AV calls':>9}")
    first, last = min(outcome.per_day), max(outcome.per_day)
    for n in range((last - first).days + 1):
        day = first + timedelta(days=n)
        print(f"{day.isoformat():<14}{day.strftime('%A'):<10}{outcome.per_day.get(day, 0):>9}")
    record = outcome.record
    print()
    print(f"{'contender':<40}{'weeks':>6}{'mean alpha':>12}{'vs control':>12}  verdict")
    for item in record["by_model"]:
        paired = item["against_control"] or {}
        print(
            f"{item['model']:<40}{item['batches']:>6}{_pct(item['mean_alpha']):>12}"
            f"{_pct(paired.get('mean_difference')):>12}  {item['verdict'] or 'too early'}"
            f" / against the control: {paired.get('verdict') or 'too early'}"
        )
    control = record["control"]
    print(
        f"{'random control':<40}{control['batches']:>6}{_pct(control['mean_alpha']):>12}"
        f"{'':>12}  {control['verdict'] or 'too early'}"
    )
    paired = record["against_control"]
    interval = paired["mean_difference_interval"]
    print(
        f"the models together against the control: mean difference "
        f"{_pct(paired['mean_difference'])} points over {len(paired['mondays'])} Mondays, "
        f"fixed-sample 95 % interval "
        + (f"{interval['low']} to {interval['high']}" if interval else "n/a")
        + f", p = {paired['p_value_no_edge']}, verdict: {paired['verdict']}"
    )
    total = sum(outcome.per_day.values())
    print(
        f"total calls {total}; sessions held by the rate limit {outcome.held}, lost {outcome.lost}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batches", type=int, default=4)
    parser.add_argument("--contenders", type=int, default=2)
    parser.add_argument("--first-monday", type=date.fromisoformat, default=date(2026, 6, 1))
    args = parser.parse_args()
    os.environ["POWERTOOLS_LOG_LEVEL"] = "ERROR"
    # Business metrics are CloudWatch's: here their EMF lines would bury the figures.
    os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    mondays = [args.first_monday + timedelta(weeks=week) for week in range(args.batches)]
    print_budget_table(mondays)
    print_arena(args.contenders, mondays)


if __name__ == "__main__":
    main()
