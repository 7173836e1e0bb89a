"""A year of realistic batches for the benchmarks, in a database of their own."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import psycopg

from alpha_monday.db.batches import set_batch_status
from alpha_monday.db.checkpoints import record_checkpoint
from alpha_monday.db.migrations import MIGRATIONS_DIR, apply_migrations
from alpha_monday.db.new_batch import create_batch
from alpha_monday.domain.model import NewBatch, NewEntry, NewPick
from alpha_monday.domain.scoring import DayScore, PickScore
from alpha_monday_local import embedded_db
from alpha_monday_local.paths import PGDATA_DIR

BENCH_DATABASE = "alpha_monday_bench"


def fresh_bench_database() -> str:
    """An empty, migrated database on the local server (embedded unless DATABASE_URL)."""
    configured = os.environ.get("DATABASE_URL", "").strip()
    server = configured or embedded_db.server_uri(PGDATA_DIR)
    url = embedded_db.create_database(server, BENCH_DATABASE, replace=True)
    apply_migrations(url, MIGRATIONS_DIR)
    return url


def seed_year(conn: psycopg.Connection, weeks: int = 52) -> None:
    """`weeks` completed batches, each with a baseline and 14 checkpoints (weekends skipped)."""
    first_monday = date(2025, 1, 6)
    for week in range(weeks):
        run_date = first_monday + timedelta(weeks=week)
        detail = create_batch(
            conn,
            NewBatch(
                run_date=run_date,
                benchmark_symbol="SPY",
                benchmark_initial_price=Decimal("500.00"),
                baseline_date=run_date - timedelta(days=3),
                origin="live",
                committed_at=datetime.combine(run_date, time(12, 0), tzinfo=UTC),
                entries=(
                    NewEntry(
                        contender="gpt-4o-mini",
                        kind="model",
                        model="gpt-4o-mini",
                        picks=tuple(
                            NewPick(
                                ticker=t,
                                action=a,
                                reasoning="benchmark",
                                initial_price=Decimal("100"),
                            )
                            for t, a in (("AAPL", "BUY"), ("MSFT", "SELL"), ("NVDA", "BUY"))
                        ),
                    ),
                ),
            ),
        )
        for day in range(14):
            checkpoint_date = run_date + timedelta(days=day)
            weekend = checkpoint_date.weekday() >= 5
            record_checkpoint(
                conn,
                detail.batch.id,
                DayScore(checkpoint_date, skip_reason="weekend")
                if weekend
                else DayScore(
                    checkpoint_date,
                    benchmark_close=Decimal("505"),
                    benchmark_return_pct=Decimal("1.000000"),
                    scores=tuple(
                        PickScore(
                            pick_id=pick.id,
                            ticker=pick.ticker,
                            action=pick.action,
                            close=Decimal("102"),
                            absolute_return_pct=Decimal("2.000000"),
                            vs_benchmark_pct=Decimal("1.000000"),
                        )
                        for pick in detail.picks
                    ),
                ),
            )
        set_batch_status(conn, detail.batch.id, "completed", from_status="active")
