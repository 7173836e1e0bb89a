"""Schema migrations with yoyo: ordered SQL files with rollbacks, applied under a lock."""

from __future__ import annotations

from pathlib import Path

from yoyo import get_backend, read_migrations

# A link to the project's top-level migrations/, so the layer ships the very same files.
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def yoyo_url(database_url: str) -> str:
    """yoyo picks its driver from the URL scheme; psycopg 3 is `postgresql+psycopg`."""
    for prefix in ("postgresql://", "postgres://"):
        if database_url.startswith(prefix):
            return "postgresql+psycopg://" + database_url.removeprefix(prefix)
    return database_url


def apply_migrations(database_url: str, migrations_dir: Path) -> list[str]:
    """Apply what is pending; safe to run twice (and concurrently: yoyo takes a lock)."""
    backend = get_backend(yoyo_url(database_url))
    try:
        migrations = read_migrations(str(migrations_dir))
        with backend.lock():
            pending = backend.to_apply(migrations)
            backend.apply_migrations(pending)
    finally:
        backend.connection.close()
    return [migration.id for migration in pending]


def rollback_migrations(database_url: str, migrations_dir: Path) -> list[str]:
    """Roll every applied migration back, newest first."""
    backend = get_backend(yoyo_url(database_url))
    try:
        migrations = read_migrations(str(migrations_dir))
        with backend.lock():
            applied = backend.to_rollback(migrations)
            backend.rollback_migrations(applied)
    finally:
        backend.connection.close()
    return [migration.id for migration in applied]
