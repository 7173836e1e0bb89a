"""The open data: every published table needed to recompute every published number, as
CSV written by PostgreSQL itself (numbers keep their exact stored digits). The columns are
described in docs/open-data.md; `alpha-monday verify` recomputes from them."""

from __future__ import annotations

import psycopg

from alpha_monday.domain.errors import UnknownOpenTable

# The commit time as the commitment's canonical form has it: UTC, to the second.
_UTC_SECOND = """to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""


def _per_pick_day(table: str, columns: str) -> str:
    """A table of one row per pick per day (its `columns` from `table`, aliased m), with the
    pick's ticker and the day's date, in the batches' order."""
    return f"""
        SELECT m.checkpoint_id, m.pick_id, p.ticker, c.checkpoint_date, {columns}
        FROM {table} m
        JOIN checkpoints c ON c.id = m.checkpoint_id
        JOIN picks p ON p.id = m.pick_id
        JOIN batches b ON b.id = c.batch_id
        ORDER BY b.run_date, c.checkpoint_date, p.ticker, p.id"""  # noqa: S608 - constants only


OPEN_TABLES: dict[str, str] = {
    "batches": f"""
        SELECT id, run_date, origin, status, model, prompt_version, benchmark_symbol,
               benchmark_initial_price, commitment_sha256,
               {_UTC_SECOND.format("committed_at")} AS committed_at,
               {_UTC_SECOND.format("created_at")} AS created_at
        FROM batches ORDER BY run_date""",  # noqa: S608 - a constant expression is interpolated
    # One per contender and batch, in the contenders' order (docs/arena.md).
    "entries": """
        SELECT e.id, e.batch_id, e.position, e.contender, e.kind, e.model, e.prompt_version,
               e.error, e.control_seed, e.universe, e.universe_as_of,
               array_to_string(e.redrawn, ' ') AS redrawn, e.stability_asks,
               e.stability_answered, e.stability_ticker_overlap, e.stability_call_overlap
        FROM entries e JOIN batches b ON b.id = e.batch_id ORDER BY b.run_date, e.position""",
    "picks": """
        SELECT p.id, p.batch_id, p.entry_id, p.ticker, p.action, p.reasoning, p.initial_price
        FROM picks p JOIN batches b ON b.id = p.batch_id JOIN entries e ON e.id = p.entry_id
        ORDER BY b.run_date, e.position, p.ticker""",
    "checkpoints": """
        SELECT c.id, c.batch_id, c.checkpoint_date, c.status, c.skip_reason, c.benchmark_price,
               c.benchmark_return_pct, c.rescored_because
        FROM checkpoints c JOIN batches b ON b.id = c.batch_id
        ORDER BY b.run_date, c.checkpoint_date""",
    "metrics": _per_pick_day(
        "pick_checkpoint_metrics", "m.current_price, m.absolute_return_pct, m.vs_benchmark_pct"
    ),
    "skips": _per_pick_day("pick_checkpoint_skips", "m.reason, m.held_close"),
    "corporate_actions": """
        SELECT a.batch_id, a.symbol, a.kind, a.action_date, a.value, a.first_counted_on
        FROM batch_corporate_actions a JOIN batches b ON b.id = a.batch_id
        ORDER BY b.run_date, a.action_date, a.symbol, a.kind""",
    # Every close a published number used: the baselines and each scored day's, per batch.
    "closes": """
        SELECT DISTINCT b.id AS batch_id, u.symbol, u.trading_date, u.close
        FROM batches b
        JOIN LATERAL (
            SELECT p.ticker, base.checkpoint_date, p.initial_price FROM picks p,
                (SELECT min(checkpoint_date) AS checkpoint_date FROM checkpoints
                 WHERE batch_id = b.id) base
            WHERE p.batch_id = b.id
            UNION ALL
            SELECT b.benchmark_symbol, min(c.checkpoint_date), b.benchmark_initial_price
            FROM checkpoints c WHERE c.batch_id = b.id
            UNION ALL
            SELECT p.ticker, c.checkpoint_date, m.current_price
            FROM pick_checkpoint_metrics m
            JOIN checkpoints c ON c.id = m.checkpoint_id JOIN picks p ON p.id = m.pick_id
            WHERE c.batch_id = b.id
            UNION ALL
            SELECT b.benchmark_symbol, c.checkpoint_date, c.benchmark_price
            FROM checkpoints c
            WHERE c.batch_id = b.id AND c.benchmark_price IS NOT NULL
                AND c.checkpoint_date >= b.run_date
        ) AS u (symbol, trading_date, close) ON u.trading_date IS NOT NULL
        ORDER BY b.id, u.symbol, u.trading_date""",
}


def open_table_csv(conn: psycopg.Connection, table: str) -> str:
    """The table as CSV with a header row, as PostgreSQL writes it (1 statement)."""
    query = OPEN_TABLES.get(table)
    if query is None:
        raise UnknownOpenTable(
            f"no open table named {table!r}; the tables are: {', '.join(OPEN_TABLES)}"
        )
    with (
        conn.cursor() as cursor,
        cursor.copy(
            f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER true)"  # constant queries only
        ) as copy,
    ):
        return b"".join(bytes(chunk) for chunk in copy).decode("utf-8")
