"""Migrations apply on a clean database, are idempotent, and roll back to empty."""

from __future__ import annotations

from collections.abc import Callable

import psycopg

from alpha_monday.db.migrations import MIGRATIONS_DIR, apply_migrations, rollback_migrations

EXPECTED_ORDER = [
    "0001_batches",
    "0002_picks",
    "0003_checkpoints",
    "0004_pick_checkpoint_metrics",
    "0005_events",
    "0006_prices",
    "0007_provider_call_budget",
    "0008_final_sane_sourced_prices",
    "0009_fair_scoring_at_scale_6",
    "0010_pick_skips_and_splits",
    "0011_batch_execution",
    "0012_read_only_role",
    "0013_fortnight_guards",
    "0014_batch_origin",
    "0015_corporate_actions",
    "0016_total_returns",
    "0017_commitment",
    "0018_entries",
    "0019_pick_stability",
    "0020_answer_store",
]


def _public_objects(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            " AND table_name NOT LIKE '\\_yoyo%' AND table_name <> 'yoyo_lock'"
        ).fetchall()
        functions = conn.execute(
            "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
            " WHERE n.nspname = 'public'"
        ).fetchall()
    return {row[0] for row in tables + functions}


def test_every_migration_has_a_rollback_file() -> None:
    # Given the migrations folder
    forward = sorted(p.stem for p in MIGRATIONS_DIR.glob("*.sql") if ".rollback" not in p.name)
    # Then each forward migration has its rollback, one per table, in order
    assert forward == EXPECTED_ORDER
    for stem in forward:
        assert (MIGRATIONS_DIR / f"{stem}.rollback.sql").is_file()


def test_migrations_apply_in_order_then_roll_back_to_empty(
    create_fresh_database: Callable[[], str],
) -> None:
    # Given an empty database
    url = create_fresh_database()
    assert _public_objects(url) == set()

    # When every migration is applied, then applied again
    applied = apply_migrations(url, MIGRATIONS_DIR)
    applied_again = apply_migrations(url, MIGRATIONS_DIR)

    # Then they ran once, in order, and created the six tables
    assert applied == EXPECTED_ORDER
    assert applied_again == []
    assert {"batches", "picks", "checkpoints", "pick_checkpoint_metrics", "events", "prices"} <= (
        _public_objects(url)
    )

    # When they are rolled back
    rolled_back = rollback_migrations(url, MIGRATIONS_DIR)

    # Then newest first, and nothing of ours is left
    assert rolled_back == list(reversed(EXPECTED_ORDER))
    assert _public_objects(url) == set()
