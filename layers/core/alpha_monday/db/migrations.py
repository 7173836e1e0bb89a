"""Schema migrations with yoyo: ordered SQL files with rollbacks, applied under a lock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from yoyo import get_backend, read_migrations

# A link to the project's top-level migrations/, so the layer ships the very same files.
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def yoyo_url(database_url: str) -> str:
    """yoyo picks its driver from the URL scheme; psycopg 3 is `postgresql+psycopg`."""
    for prefix in ("postgresql://", "postgres://"):
        if database_url.startswith(prefix):
            return "postgresql+psycopg://" + database_url.removeprefix(prefix)
    return database_url


@contextmanager
def _locked(database_url: str) -> Iterator[Any]:
    """yoyo's backend holding its lock, so concurrent runs (two deploys) take turns."""
    backend = get_backend(yoyo_url(database_url))
    try:
        with backend.lock():
            yield backend
    finally:
        backend.connection.close()


def apply_migrations(database_url: str, migrations_dir: Path) -> list[str]:
    """Apply what is pending, oldest first; running it again applies nothing."""
    with _locked(database_url) as backend:
        pending = backend.to_apply(read_migrations(str(migrations_dir)))
        backend.apply_migrations(pending)
    return [migration.id for migration in pending]


def rollback_migrations(database_url: str, migrations_dir: Path) -> list[str]:
    """Roll every applied migration back, newest first."""
    with _locked(database_url) as backend:
        applied = backend.to_rollback(read_migrations(str(migrations_dir)))
        backend.rollback_migrations(applied)
    return [migration.id for migration in applied]
