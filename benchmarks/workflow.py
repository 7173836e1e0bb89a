"""Weekly-run benchmark: N local batches through the real state machine (moto, in-process).

Prints per batch: wall time, Lambda invocations, state transitions, and market data calls
against the naive count (4 calls per computed checkpoint plus 4 at the start, and SPLITS and
DIVIDENDS for every symbol at every session: 8 more per session and 8 at the start). Then
the calls per calendar day of the whole run, where consecutive batches' fortnights overlap
(each Monday starts one while the previous one is in its second week): every day, the
maximum, and the Mondays, against the free tier's 25 a day.

Run: .venv/bin/python -m benchmarks.workflow [--batches 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import warnings
from datetime import date, timedelta

import psycopg

from alpha_monday.db.call_budget import calls_per_day
from alpha_monday.integrations.alpha_vantage import PROVIDER
from benchmarks.seed import fresh_bench_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--first-monday", type=date.fromisoformat, default=date(2026, 6, 1))
    args = parser.parse_args()

    url = fresh_bench_database()
    os.environ["DATABASE_URL"] = url
    os.environ["POWERTOOLS_LOG_LEVEL"] = "ERROR"
    # Business metrics are CloudWatch's: here their EMF lines would bury the figures.
    os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    # Imported after the environment is set: handlers read their settings on import.
    from alpha_monday_local.run_week import recorded_batch, run_week  # noqa: PLC0415

    print(f"{args.batches} weekly runs, offline providers on a simulated clock")
    header = (
        f"{'run_date':<12}{'status':<11}{'wall s':>8}{'lambdas':>9}{'transitions':>13}"
        f"{'AV calls':>10}{'naive':>7}{'saved':>7}"
    )
    print(header)
    walls = []
    with psycopg.connect(url, autocommit=True) as conn:
        for week in range(args.batches):
            run_date = args.first_monday + timedelta(weeks=week)
            calls_before = sum(calls_per_day(conn, PROVIDER).values())
            report = run_week(run_date)
            detail = recorded_batch(run_date)
            assert detail is not None
            computed = sum(
                1
                for c in detail.checkpoints
                if c.status == "computed" and c.checkpoint_date >= run_date
            )
            calls = sum(calls_per_day(conn, PROVIDER).values()) - calls_before
            naive = (4 + 8) * computed + 4 + 8
            walls.append(report.wall_seconds)
            print(
                f"{run_date.isoformat():<12}{report.status:<11}{report.wall_seconds:>8.2f}"
                f"{sum(report.invocations.values()):>9}{report.state_transitions:>13}"
                f"{calls:>10}{naive:>7}{naive - calls:>7}"
            )
        per_day = calls_per_day(conn, PROVIDER)
    print(f"median wall time per batch: {statistics.median(walls):.2f} s")
    _print_calls_per_day(per_day, FREE_TIER_DAILY_CALLS)


FREE_TIER_DAILY_CALLS = 25


def _print_calls_per_day(per_day: dict[date, int], limit: int) -> None:
    print()
    print(f"{'calendar day':<14}{'weekday':<10}{'AV calls':>9}")
    first, last = min(per_day), max(per_day)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    for day in days:
        print(f"{day.isoformat():<14}{day.strftime('%A'):<10}{per_day.get(day, 0):>9}")
    mondays = [per_day.get(day, 0) for day in days if day.weekday() == 0]
    busiest = max(per_day.values())
    print(
        f"max {busiest} a day (limit {limit}: {'within' if busiest <= limit else 'OVER'}); "
        f"Mondays {', '.join(map(str, mondays))}; total {sum(per_day.values())}"
    )


if __name__ == "__main__":
    main()
