"""EXPLAIN shows the key reads using indexes once tables hold a realistic amount of data."""

from __future__ import annotations

import uuid
from datetime import date

import psycopg
import pytest

from alpha_monday.db import batches

# Ten years of weekly batches with full fortnights: 520 batches, 7,800 checkpoints.
SEED_SQL = """
INSERT INTO batches (id, run_date, benchmark_initial_price, status, origin)
SELECT gen_random_uuid(), DATE '2016-01-04' + 7 * n, 400, 'active', 'live'
FROM generate_series(0, 519) AS n;
INSERT INTO entries (id, batch_id, position, contender, kind, model)
SELECT gen_random_uuid(), b.id, 0, 'seeded-model', 'model', 'seeded-model' FROM batches b;
INSERT INTO picks (id, batch_id, entry_id, ticker, action, reasoning, initial_price)
SELECT gen_random_uuid(), b.id, e.id, t.ticker, 'BUY', 'seeded', 100
FROM batches b JOIN entries e ON e.batch_id = b.id
CROSS JOIN (VALUES ('AAA'), ('BBB'), ('CCC')) AS t(ticker);
INSERT INTO checkpoints (id, batch_id, checkpoint_date, status, benchmark_price,
                         benchmark_return_pct)
SELECT gen_random_uuid(), b.id, b.run_date + d, 'computed', 400,
       CASE WHEN d < 0 THEN NULL ELSE 0.000000 END
FROM batches b CROSS JOIN generate_series(-3, 13) AS d WHERE d >= 0 OR d = -3;
INSERT INTO pick_checkpoint_metrics (id, checkpoint_id, pick_id, current_price,
                                     absolute_return_pct, vs_benchmark_pct)
SELECT gen_random_uuid(), c.id, p.id, 101, 1.000000, 1.000000
FROM checkpoints c JOIN picks p ON p.batch_id = c.batch_id
JOIN batches b ON b.id = c.batch_id WHERE c.checkpoint_date >= b.run_date;
UPDATE batches SET status = 'completed';
ANALYZE;
"""


@pytest.fixture
def seeded(conn: psycopg.Connection) -> psycopg.Connection:
    # gen_random_uuid() is used only to seed test data; the application makes its own UUIDs.
    conn.execute(SEED_SQL)
    return conn


def _plan(conn: psycopg.Connection, query: str, params: tuple[object, ...]) -> str:
    rows = conn.execute(f"EXPLAIN {query}", params).fetchall()
    return "\n".join(row[0] for row in rows)


def _some_batch_id(conn: psycopg.Connection) -> uuid.UUID:
    row = conn.execute("SELECT id FROM batches ORDER BY run_date LIMIT 1 OFFSET 100").fetchone()
    assert row is not None
    return uuid.UUID(str(row[0]))


@pytest.mark.parametrize(
    ("query", "index"),
    [
        ("SELECT * FROM picks WHERE batch_id = %s", "picks_batch_id"),
        ("SELECT * FROM checkpoints WHERE batch_id = %s", "checkpoints_batch_id"),
    ],
)
def test_lookups_by_batch_use_an_index(seeded: psycopg.Connection, query: str, index: str) -> None:
    plan = _plan(seeded, query, (_some_batch_id(seeded),))
    assert "Index" in plan
    assert index in plan


def test_metrics_of_a_checkpoint_use_an_index(seeded: psycopg.Connection) -> None:
    row = seeded.execute("SELECT id FROM checkpoints LIMIT 1").fetchone()
    assert row is not None
    plan = _plan(seeded, "SELECT * FROM pick_checkpoint_metrics WHERE checkpoint_id = %s", row)
    assert "pick_checkpoint_metrics_checkpoint_id" in plan


def test_latest_a_week_and_keyset_page_use_the_run_date_index(seeded: psycopg.Connection) -> None:
    # The repository's own statements, with the parameters the API sends.
    latest = seeded.execute(
        f"EXPLAIN {batches._BATCH_WITH_PICKS_SQL}", {"batch_id": None, "run_date": None}
    )
    week = seeded.execute(
        f"EXPLAIN {batches._BATCH_WITH_PICKS_SQL}", {"batch_id": None, "run_date": date(2020, 1, 6)}
    )
    page = seeded.execute(f"EXPLAIN {batches._PAGE_SQL}", {"before": date(2020, 1, 6), "limit": 21})
    assert "batches_run_date_key" in "\n".join(row[0] for row in latest.fetchall())
    assert "batches_run_date_key" in "\n".join(row[0] for row in week.fetchall())
    assert "batches_run_date_key" in "\n".join(row[0] for row in page.fetchall())


def test_cached_close_lookup_uses_the_primary_key(conn: psycopg.Connection) -> None:
    conn.execute(
        "INSERT INTO prices (source, symbol, trading_date, close, fetched_at)"
        " SELECT 'alpha_vantage', 'S' || (n % 500), DATE '2020-01-01' + (n / 500), 10, now()"
        " FROM generate_series(0, 49999) AS n"
    )
    conn.execute("ANALYZE prices")
    plan = _plan(
        conn,
        "SELECT close FROM prices WHERE source = %s AND symbol = ANY(%s) AND trading_date = %s",
        ("alpha_vantage", ["S1", "S2"], "2020-02-01"),
    )
    assert "prices_pkey" in plan
