"""The schema matches the data model (docs/decisions.md), read back from the catalog."""

from __future__ import annotations

import psycopg
import pytest

EXPECTED_COLUMNS = {
    "batches": {
        "id": ("uuid", "NO"),
        "created_at": ("timestamp with time zone", "NO"),
        "run_date": ("date", "NO"),
        "benchmark_symbol": ("text", "NO"),
        "benchmark_initial_price": ("numeric", "NO"),
        "status": ("text", "NO"),
        "model": ("text", "YES"),
        "execution_name": ("text", "YES"),
        "origin": ("text", "NO"),
        "prompt_version": ("text", "YES"),
        "commitment_sha256": ("text", "YES"),
        "committed_at": ("timestamp with time zone", "YES"),
    },
    "entries": {
        "id": ("uuid", "NO"),
        "batch_id": ("uuid", "NO"),
        "position": ("smallint", "NO"),
        "contender": ("text", "NO"),
        "kind": ("text", "NO"),
        "model": ("text", "YES"),
        "prompt_version": ("text", "YES"),
        "error": ("text", "YES"),
        "control_seed": ("text", "YES"),
        "universe": ("text", "YES"),
        "universe_as_of": ("date", "YES"),
        "redrawn": ("ARRAY", "NO"),
        "stability_asks": ("smallint", "YES"),
        "stability_answered": ("smallint", "YES"),
        "stability_ticker_overlap": ("numeric", "YES"),
        "stability_call_overlap": ("numeric", "YES"),
    },
    "picks": {
        "id": ("uuid", "NO"),
        "batch_id": ("uuid", "NO"),
        "entry_id": ("uuid", "NO"),
        "ticker": ("text", "NO"),
        "action": ("text", "NO"),
        "reasoning": ("text", "NO"),
        "initial_price": ("numeric", "NO"),
    },
    "checkpoints": {
        "id": ("uuid", "NO"),
        "batch_id": ("uuid", "NO"),
        "checkpoint_date": ("date", "NO"),
        "status": ("text", "NO"),
        "benchmark_price": ("numeric", "YES"),
        "benchmark_return_pct": ("numeric", "YES"),
        "skip_reason": ("text", "YES"),
        "rescored_because": ("text", "YES"),
    },
    "pick_checkpoint_metrics": {
        "id": ("uuid", "NO"),
        "checkpoint_id": ("uuid", "NO"),
        "pick_id": ("uuid", "NO"),
        "current_price": ("numeric", "NO"),
        "absolute_return_pct": ("numeric", "NO"),
        "vs_benchmark_pct": ("numeric", "NO"),
    },
    "pick_checkpoint_skips": {
        "id": ("uuid", "NO"),
        "checkpoint_id": ("uuid", "NO"),
        "pick_id": ("uuid", "NO"),
        "reason": ("text", "NO"),
        "held_close": ("numeric", "YES"),
    },
    "batch_corporate_actions": {
        "id": ("uuid", "NO"),
        "batch_id": ("uuid", "NO"),
        "symbol": ("text", "NO"),
        "kind": ("text", "NO"),
        "action_date": ("date", "NO"),
        "value": ("numeric", "NO"),
        "first_counted_on": ("date", "NO"),
    },
    "corporate_actions": {
        "source": ("text", "NO"),
        "symbol": ("text", "NO"),
        "kind": ("text", "NO"),
        "action_date": ("date", "NO"),
        "value": ("numeric", "NO"),
        "fetched_at": ("timestamp with time zone", "NO"),
    },
    "events": {
        "id": ("uuid", "NO"),
        "created_at": ("timestamp with time zone", "NO"),
        "batch_id": ("uuid", "YES"),
        "event_type": ("text", "NO"),
        "payload": ("jsonb", "NO"),
    },
    "prices": {
        "source": ("text", "NO"),
        "symbol": ("text", "NO"),
        "trading_date": ("date", "NO"),
        "close": ("numeric", "NO"),
        "fetched_at": ("timestamp with time zone", "NO"),
    },
}

EXPECTED_FOREIGN_KEYS = {
    ("picks", "batch_id", "batches", "id"),
    ("entries", "batch_id", "batches", "id"),
    # (entry_id, batch_id): a pick's batch is its entry's batch.
    ("picks", "entry_id", "entries", "id"),
    ("checkpoints", "batch_id", "batches", "id"),
    ("pick_checkpoint_metrics", "checkpoint_id", "checkpoints", "id"),
    ("pick_checkpoint_metrics", "pick_id", "picks", "id"),
    ("events", "batch_id", "batches", "id"),
    ("pick_checkpoint_skips", "checkpoint_id", "checkpoints", "id"),
    ("pick_checkpoint_skips", "pick_id", "picks", "id"),
    ("batch_corporate_actions", "batch_id", "batches", "id"),
}

EXPECTED_UNIQUE = {
    ("batches", ("run_date",)),
    ("batches", ("execution_name",)),
    # Two contenders may pick the same stock (docs/arena.md).
    ("picks", ("entry_id", "ticker")),
    ("entries", ("batch_id", "contender")),
    ("entries", ("batch_id", "position")),
    ("entries", ("id", "batch_id")),
    ("checkpoints", ("batch_id", "checkpoint_date")),
    ("pick_checkpoint_metrics", ("checkpoint_id", "pick_id")),
    ("pick_checkpoint_skips", ("checkpoint_id", "pick_id")),
    ("batch_corporate_actions", ("batch_id", "symbol", "kind", "action_date")),
}

EXPECTED_INDEXES = {
    ("picks", ("batch_id",)),
    ("checkpoints", ("batch_id",)),
    ("pick_checkpoint_metrics", ("checkpoint_id",)),
    ("pick_checkpoint_metrics", ("pick_id",)),
    ("events", ("batch_id",)),
    ("events", ("event_type",)),
    ("prices", ("source", "symbol", "trading_date")),
    ("pick_checkpoint_skips", ("checkpoint_id",)),
    ("pick_checkpoint_skips", ("pick_id",)),
    ("batch_corporate_actions", ("batch_id",)),
}


def test_tables_have_the_designed_columns_types_and_nullability(conn: psycopg.Connection) -> None:
    # Given the migrated database, when its columns are read from information_schema
    rows = conn.execute(
        "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns"
        " WHERE table_schema = 'public' AND table_name = ANY(%s)",
        (list(EXPECTED_COLUMNS),),
    ).fetchall()
    actual: dict[str, dict[str, tuple[str, str]]] = {}
    for table, column, data_type, nullable in rows:
        actual.setdefault(table, {})[column] = (data_type, nullable)
    # Then every table has exactly the designed columns
    assert actual == EXPECTED_COLUMNS


def test_primary_keys_have_no_database_default(conn: psycopg.Connection) -> None:
    # UUIDs come from the application, never from a database default or extension.
    defaults = conn.execute(
        "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public'"
        " AND column_name = 'id' AND column_default IS NOT NULL"
    ).fetchall()
    assert defaults == []


def test_foreign_keys(conn: psycopg.Connection) -> None:
    rows = conn.execute(
        """
        SELECT cl.relname, a.attname, ref.relname, ra.attname
        FROM pg_constraint c
        JOIN pg_class cl ON cl.oid = c.conrelid
        JOIN pg_class ref ON ref.oid = c.confrelid
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]
        WHERE c.contype = 'f' AND cl.relname = ANY(%s)
        """,
        (list(EXPECTED_COLUMNS),),
    ).fetchall()
    assert set(rows) == EXPECTED_FOREIGN_KEYS


def test_unique_constraints(conn: psycopg.Connection) -> None:
    rows = conn.execute(
        """
        SELECT cl.relname, array_agg(a.attname ORDER BY k.ord)
        FROM pg_constraint c
        JOIN pg_class cl ON cl.oid = c.conrelid
        CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
        WHERE c.contype = 'u' AND cl.relname = ANY(%s)
        GROUP BY c.oid, cl.relname
        """,
        (list(EXPECTED_COLUMNS),),
    ).fetchall()
    assert {(table, tuple(columns)) for table, columns in rows} == EXPECTED_UNIQUE


@pytest.mark.parametrize(
    ("table", "snippet"),
    [
        ("batches", "'active'::text, 'completed'::text, 'failed'::text"),
        ("picks", "'BUY'::text, 'SELL'::text"),
        ("checkpoints", "'computed'::text, 'skipped'::text"),
    ],
)
def test_check_constraints_restrict_enumerations(
    conn: psycopg.Connection, table: str, snippet: str
) -> None:
    checks = conn.execute(
        "SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c"
        " JOIN pg_class cl ON cl.oid = c.conrelid WHERE c.contype = 'c' AND cl.relname = %s",
        (table,),
    ).fetchall()
    assert any(snippet in definition for (definition,) in checks)


def test_indexes(conn: psycopg.Connection) -> None:
    rows = conn.execute(
        """
        SELECT t.relname, array_agg(a.attname ORDER BY k.ord)
        FROM pg_index i
        JOIN pg_class t ON t.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
        CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
        WHERE NOT i.indisprimary OR t.relname = 'prices'
        GROUP BY i.indexrelid, t.relname
        """
    ).fetchall()
    assert {(table, tuple(columns)) for table, columns in rows} >= EXPECTED_INDEXES
