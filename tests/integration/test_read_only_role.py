"""The read API's database role can read what is published and change nothing."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from alpha_monday_local.embedded_db import read_only_url
from tests.builders import seed_batches


def test_the_read_only_role_reads_published_tables_and_writes_nothing(
    database_url: str, conn: psycopg.Connection
) -> None:
    # Given a recorded batch and the read API's login on the same database
    (detail,) = seed_batches(conn, 1)
    url = read_only_url(database_url)
    with psycopg.connect(url, autocommit=True) as reader:
        # When it reads, it sees the batch
        row = reader.execute("SELECT id FROM batches").fetchone()
        assert row == (detail.batch.id,)
        # When it writes, or reads the unpublished audit trail, it is refused
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            reader.execute(
                "INSERT INTO batches (id, run_date, benchmark_initial_price, status)"
                " VALUES (%s, '2030-01-07', 1, 'active')",
                (uuid.uuid4(),),
            )
        for statement in (
            "UPDATE batches SET status = 'failed'",
            "DELETE FROM picks",
            "SELECT * FROM events",
            "SELECT * FROM prices",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                reader.execute(statement)
    # Then nothing changed
    assert conn.execute("SELECT status FROM batches").fetchone() == ("active",)
