"""GET /data/{table}.csv: the open data, each column documented in docs/open-data.md."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import psycopg
import pytest

from alpha_monday.db.open_data import OPEN_TABLES
from alpha_monday_local.paths import PROJECT_ROOT
from tests.api.conftest import lambda_result
from tests.builders import seed_batches

DICTIONARY = (PROJECT_ROOT / "docs" / "open-data.md").read_text("utf-8")


def _documented_columns(table: str) -> list[str]:
    section = DICTIONARY.split(f"### {table}\n", 1)[1].split("\n### ", 1)[0]
    return re.findall(r"^\| `([a-z_0-9]+)` \|", section, flags=re.MULTILINE)


@pytest.mark.parametrize("table", sorted(OPEN_TABLES))
def test_each_table_is_csv_with_every_column_documented(
    table: str, conn: psycopg.Connection, database_url: str, template: dict[str, Any]
) -> None:
    # Given two batches with a few days each
    seed_batches(conn, 2)
    # When the table is asked for
    result = lambda_result(template, f"/data/{table}.csv")
    # Then it is CSV with a header, rows, and exactly the columns the dictionary describes
    assert result["statusCode"] == 200
    assert result["multiValueHeaders"]["Content-Type"] == ["text/csv; charset=utf-8"]
    rows = list(csv.reader(io.StringIO(result["body"])))
    assert rows[0] == _documented_columns(table)
    if table not in {"skips", "corporate_actions"}:  # the seed has neither
        assert len(rows) > 1


def test_prices_keep_their_exact_digits(
    conn: psycopg.Connection, database_url: str, template: dict[str, Any]
) -> None:
    (detail,) = seed_batches(conn, 1)
    rows = list(csv.DictReader(io.StringIO(lambda_result(template, "/data/picks.csv")["body"])))
    assert [row["initial_price"] for row in rows] == [str(p.initial_price) for p in detail.picks]


@pytest.mark.parametrize("path", ["/data/prices.csv", "/data/batches.json", "/data/events.csv"])
def test_anything_else_is_a_404_naming_the_tables(
    path: str, database_url: str, template: dict[str, Any]
) -> None:
    result = lambda_result(template, path)
    assert result["statusCode"] == 404
    assert "the tables are: batches, entries, picks" in result["body"]
