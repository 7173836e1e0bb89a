"""Weekly-run benchmark: N local batches through the real state machine (moto, in-process).

Prints per batch: wall time, Lambda invocations, state transitions, and market data calls
against the naive count (4 calls per computed checkpoint plus 4 at the start).

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
            naive = 4 * computed + 4
            walls.append(report.wall_seconds)
            print(
                f"{run_date.isoformat():<12}{report.status:<11}{report.wall_seconds:>8.2f}"
                f"{sum(report.invocations.values()):>9}{report.state_transitions:>13}"
                f"{calls:>10}{naive:>7}{naive - calls:>7}"
            )
    print(f"median wall time per batch: {statistics.median(walls):.2f} s")


if __name__ == "__main__":
    main()
