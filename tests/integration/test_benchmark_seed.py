"""The benchmarks seed the database through the application's own repositories: a change
of the schema's rules must not silently break them (they run outside the suite)."""

from __future__ import annotations

import psycopg

from benchmarks.seed import seed_year


def test_the_benchmark_seed_still_fits_the_schema(conn: psycopg.Connection) -> None:
    seed_year(conn, weeks=2)
    rows = conn.execute("SELECT count(*), min(status) FROM batches").fetchone()
    assert rows == (2, "completed")
