"""Migration 0016 rescores stored rows with total returns only where a counted dividend
changes them, with an event holding the old and new values; its rollback restores them."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal

import psycopg

from alpha_monday.db.migrations import MIGRATIONS_DIR
from tests.migration_steps import migrate

BEFORE = "0015_corporate_actions"


def _batch(conn: psycopg.Connection, run_date: str, *, dividend: bool) -> dict[str, uuid.UUID]:
    ids = {name: uuid.uuid4() for name in ("batch", "pick", "baseline", "day")}
    conn.execute(
        "INSERT INTO batches (id, run_date, benchmark_initial_price, status, origin)"
        " VALUES (%s, %s, 500, 'active', 'simulated')",
        (ids["batch"], run_date),
    )
    conn.execute(
        "INSERT INTO picks (id, batch_id, ticker, action, reasoning, initial_price)"
        " VALUES (%s, %s, 'KO', 'SELL', 'will trail', 60)",
        (ids["pick"], ids["batch"]),
    )
    conn.execute(
        "INSERT INTO checkpoints (id, batch_id, checkpoint_date, status, benchmark_price,"
        " benchmark_return_pct) VALUES (%s, %s, %s::date - 3, 'computed', 500, NULL),"
        " (%s, %s, %s::date + 1, 'computed', 505, 1.000000)",
        (ids["baseline"], ids["batch"], run_date, ids["day"], ids["batch"], run_date),
    )
    # KO 60 -> 59.40 (it went ex-dividend 0.60 on the day): a SELL scored +1 and +2 unadjusted
    conn.execute(
        "INSERT INTO pick_checkpoint_metrics (id, checkpoint_id, pick_id, current_price,"
        " absolute_return_pct, vs_benchmark_pct) VALUES (%s, %s, %s, 59.40, 1.000000, 2.000000)",
        (uuid.uuid4(), ids["day"], ids["pick"]),
    )
    if dividend:
        conn.execute(
            "INSERT INTO batch_corporate_actions (id, batch_id, symbol, kind, action_date,"
            " value, first_counted_on) VALUES (%s, %s, 'KO', 'dividend', %s::date + 1, 0.60,"
            " %s::date + 1)",
            (uuid.uuid4(), ids["batch"], run_date, run_date),
        )
    conn.execute("UPDATE batches SET status = 'completed' WHERE id = %s", (ids["batch"],))
    return ids


def _scores(conn: psycopg.Connection, pick: uuid.UUID) -> tuple[Decimal, Decimal]:
    row = conn.execute(
        "SELECT absolute_return_pct, vs_benchmark_pct FROM pick_checkpoint_metrics"
        " WHERE pick_id = %s",
        (pick,),
    ).fetchone()
    assert row is not None
    return row[0], row[1]


def test_a_counted_dividend_rescores_its_rows_with_a_trace_and_the_rollback_restores_them(
    create_fresh_database: Callable[[], str],
) -> None:
    # Given two completed batches stored before total returns, one with a counted dividend
    url = create_fresh_database()
    migrate(url, through=BEFORE)
    with psycopg.connect(url, autocommit=True) as conn:
        with_dividend = _batch(conn, "2026-06-01", dividend=True)
        without = _batch(conn, "2026-06-08", dividend=False)
    # When migration 0016 runs
    migrate(url)
    with psycopg.connect(url, autocommit=True) as conn:
        # Then the SELL pays the dividend: (59.40 + 0.60 - 60) / 60 = 0: scores 0 and +1
        assert _scores(conn, with_dividend["pick"]) == (Decimal("0.000000"), Decimal("1.000000"))
        # and the batch without a dividend keeps its published values
        assert _scores(conn, without["pick"]) == (Decimal("1.000000"), Decimal("2.000000"))
        (event,) = conn.execute(
            "SELECT payload FROM events WHERE event_type = 'checkpoint_rescored'"
        ).fetchall()
        assert event[0]["old"]["picks"]["KO"] == ["1.000000", "2.000000"]
        assert event[0]["new"]["picks"]["KO"] == ["0.000000", "1.000000"]
        because = conn.execute(
            "SELECT rescored_because FROM checkpoints WHERE id = %s", (with_dividend["day"],)
        ).fetchone()
        assert because is not None
        assert "migration 0016" in because[0]
    # When it is rolled back
    migrate(url, rollback="0016_total_returns")
    with psycopg.connect(url, autocommit=True) as conn:
        # Then the old values are back, and the trail says so
        assert _scores(conn, with_dividend["pick"]) == (Decimal("1.000000"), Decimal("2.000000"))
        kinds = conn.execute(
            "SELECT payload ->> 'migration' FROM events WHERE event_type = 'checkpoint_rescored'"
            " ORDER BY created_at"
        ).fetchall()
        assert [k[0] for k in kinds] == ["0016_total_returns", "0016_total_returns (rolled back)"]


def test_the_migration_reports_how_many_rows_it_changed(
    create_fresh_database: Callable[[], str],
) -> None:
    url = create_fresh_database()
    migrate(url, through=BEFORE)
    with psycopg.connect(url, autocommit=True) as conn:
        _batch(conn, "2026-06-01", dividend=True)
        sql = (MIGRATIONS_DIR / "0016_total_returns.sql").read_text()
        notices: list[str] = []
        conn.add_notice_handler(lambda diag: notices.append(diag.message_primary or ""))
        conn.execute(sql)  # type: ignore[arg-type]
    assert notices == ["migration 0016_total_returns: 1 stored row(s) rescored with total returns"]
