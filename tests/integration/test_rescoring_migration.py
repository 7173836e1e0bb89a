"""Migration 0009 scores stored rows again from stored prices (SELL per docs/scoring.md, scale 6),
and its rollback restores the old scoring."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal

import psycopg

from tests.migration_steps import migrate as _migrate

BEFORE_RESCORING = "0008_final_sane_sourced_prices"


def test_sell_rows_are_rescored_from_stored_prices_and_the_rollback_restores_them(
    create_fresh_database: Callable[[], str],
) -> None:
    # Given a completed batch stored under the old scoring: SPY +2 %, a SELL pick +1 %
    # scored -1 - 2 = -3 (unrounded), and a holiday worded the old way
    url = create_fresh_database()
    _migrate(url, through=BEFORE_RESCORING)
    batch, pick, baseline, day, holiday = (uuid.uuid4() for _ in range(5))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO batches (id, run_date, benchmark_initial_price, status)"
            " VALUES (%s, '2026-06-01', 500, 'active')",
            (batch,),
        )
        conn.execute(
            "INSERT INTO picks (id, batch_id, ticker, action, reasoning, initial_price)"
            " VALUES (%s, %s, 'KO', 'SELL', 'will trail', 60)",
            (pick, batch),
        )
        conn.execute(
            "INSERT INTO checkpoints (id, batch_id, checkpoint_date, status, benchmark_price,"
            " benchmark_return_pct, skip_reason) VALUES"
            " (%s, %s, '2026-05-29', 'computed', 500, NULL, NULL),"
            " (%s, %s, '2026-06-02', 'computed', 510, 2.0, NULL),"
            " (%s, %s, '2026-06-19', 'skipped', NULL, NULL, 'NYSE holiday: Juneteenth')",
            (baseline, batch, day, batch, holiday, batch),
        )
        conn.execute(
            "INSERT INTO pick_checkpoint_metrics (id, checkpoint_id, pick_id, current_price,"
            " absolute_return_pct, vs_benchmark_pct) VALUES (%s, %s, %s, 60.6, -1.0, -3.0)",
            (uuid.uuid4(), day, pick),
        )
        conn.execute("UPDATE batches SET status = 'completed' WHERE id = %s", (batch,))

    # When the rescoring migration runs
    _migrate(url)

    # Then the SELL is scored as the right call it was (+1), at scale 6, from stored prices
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT absolute_return_pct::text, vs_benchmark_pct::text FROM pick_checkpoint_metrics"
        ).fetchone()
        assert row == ("-1.000000", "1.000000")
        benchmark = conn.execute(
            "SELECT benchmark_return_pct::text FROM checkpoints WHERE id = %s", (day,)
        ).fetchone()
        assert benchmark == ("2.000000",)
        reason = conn.execute(
            "SELECT skip_reason FROM checkpoints WHERE id = %s", (holiday,)
        ).fetchone()
        assert reason == ("holiday: Juneteenth",)
        # And the batch is still completed (the migration wrote past the active-batch rule)
        status = conn.execute("SELECT status FROM batches").fetchone()
        assert status == ("completed",)

    # When the migrations after 0008 are rolled back
    _migrate(url, rollback="0009_fair_scoring_at_scale_6")

    # Then the old SELL score is back, computed from the stored values
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT absolute_return_pct, vs_benchmark_pct FROM pick_checkpoint_metrics"
        ).fetchone()
        assert row is not None
        assert (Decimal(row[0]), Decimal(row[1])) == (Decimal(-1), Decimal(-3))
        reason = conn.execute(
            "SELECT skip_reason FROM checkpoints WHERE id = %s", (holiday,)
        ).fetchone()
        assert reason == ("NYSE holiday: Juneteenth",)


def test_existing_batches_get_their_origin_and_prompt_version(
    create_fresh_database: Callable[[], str],
) -> None:
    # Given batches stored before origins existed: picks committed at 08:00 and at 10:00 New
    # York on their Monday, and one by the offline picker
    url = create_fresh_database()
    _migrate(url, through="0013_fortnight_guards")
    rows = {
        "live": ("2026-06-01", "2026-06-01 08:00-04", "gpt-4o-mini"),
        "retrospective": ("2026-06-08", "2026-06-08 10:00-04", "gpt-4o-mini"),
        "simulated": ("2026-06-15", "2026-06-15 07:00-04", "offline-scripted-picker"),
    }
    ids = {origin: uuid.uuid4() for origin in rows}
    with psycopg.connect(url, autocommit=True) as conn:
        for origin, (run_date, created_at, model) in rows.items():
            conn.execute(
                "INSERT INTO batches (id, run_date, created_at, benchmark_initial_price, status,"
                " model) VALUES (%s, %s, %s, 400, 'completed', %s)",
                (ids[origin], run_date, created_at, model),
            )
        conn.execute(
            "INSERT INTO events (id, batch_id, event_type, payload) VALUES"
            " (%s, %s, 'picks_generated', '{\"prompt_version\": \"2026-06-01.1\"}')",
            (uuid.uuid4(), ids["live"]),
        )
        # When the origin migration runs
        _migrate(url, through="0014_batch_origin")
        # Then each batch has its origin, and the prompt version its event recorded
        for origin, batch_id in ids.items():
            row = conn.execute(
                "SELECT origin, prompt_version FROM batches WHERE id = %s", (batch_id,)
            ).fetchone()
            assert row == (origin, "2026-06-01.1" if origin == "live" else None)
