"""Moving a test database to one migration or back from one (yoyo, as the CLI does)."""

from __future__ import annotations

from yoyo import get_backend, read_migrations

from alpha_monday.db.migrations import MIGRATIONS_DIR, yoyo_url


def migrate(url: str, *, through: str | None = None, rollback: str | None = None) -> None:
    backend = get_backend(yoyo_url(url))
    try:
        migrations = read_migrations(str(MIGRATIONS_DIR))
        with backend.lock():
            if rollback is not None:
                chosen = migrations.filter(lambda m: m.id >= rollback)
                backend.rollback_migrations(backend.to_rollback(chosen))
            else:
                chosen = migrations.filter(lambda m: through is None or m.id <= through)
                backend.apply_migrations(backend.to_apply(chosen))
    finally:
        backend.connection.close()
