"""`alpha-monday`: the local database, the weekly run and the read API on localhost."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from alpha_monday.db.migrations import apply_migrations, rollback_migrations
from alpha_monday_local import embedded_db
from alpha_monday_local.paths import MIGRATIONS_DIR, PGDATA_DIR


def _migrated_database_url() -> str:
    url = embedded_db.local_database_url(PGDATA_DIR)
    applied = apply_migrations(url, MIGRATIONS_DIR)
    print(f"migrations applied: {', '.join(applied) if applied else 'none pending'}")
    return url


def _db_up(_: argparse.Namespace) -> int:
    url = _migrated_database_url()
    print(f"database ready: {url}")
    print(f"connect with:   psql '{url}'")
    return 0


def _db_migrate(_: argparse.Namespace) -> int:
    _migrated_database_url()
    return 0


def _db_reset(_: argparse.Namespace) -> int:
    url = embedded_db.local_database_url(PGDATA_DIR)
    rolled_back = rollback_migrations(url, MIGRATIONS_DIR)
    print(f"migrations rolled back: {', '.join(rolled_back) if rolled_back else 'none'}")
    _migrated_database_url()
    return 0


def _db_url(_: argparse.Namespace) -> int:
    print(embedded_db.local_database_url(PGDATA_DIR))
    return 0


def _db_down(_: argparse.Namespace) -> int:
    stopped = embedded_db.stop_server(PGDATA_DIR)
    print("embedded database stopped" if stopped else "no embedded database was running")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="alpha-monday", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    db = commands.add_parser("db", help="the local database (embedded unless DATABASE_URL is set)")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    for name, handler, help_text in (
        ("up", _db_up, "start the embedded server, create and migrate the database"),
        ("migrate", _db_migrate, "apply pending migrations"),
        ("reset", _db_reset, "roll every migration back, then apply them all again (data lost)"),
        ("url", _db_url, "print the database URL"),
        ("down", _db_down, "stop the embedded server"),
    ):
        db_commands.add_parser(name, help=help_text).set_defaults(handler=handler)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
