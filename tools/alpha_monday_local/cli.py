"""`alpha-monday`: the local database, the weekly run and the read API on localhost."""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
import warnings
from collections.abc import Sequence
from datetime import date
from uuid import UUID

import psycopg

from alpha_monday.db.migrations import MIGRATIONS_DIR, apply_migrations, rollback_migrations
from alpha_monday.domain.dates import parse_iso_date
from alpha_monday.domain.errors import AlphaMondayError, DatabaseUnavailable
from alpha_monday_local import embedded_db, openapi
from alpha_monday_local.paths import PGDATA_DIR
from alpha_monday_local.template import load_template


def _say_stale_lock(line: str) -> None:
    print(f"alpha-monday: {line}", file=sys.stderr)


def _migrated_database_url(*, report: bool = False) -> str:
    """The local database, migrated. Only the db commands `report` what was applied: the
    others' stdout is their answer (`psql "$(alpha-monday db url --read-only)"`)."""
    url = embedded_db.local_database_url(PGDATA_DIR)
    applied = apply_migrations(url, MIGRATIONS_DIR, on_stale_lock=_say_stale_lock)
    if report:
        print(f"migrations applied: {', '.join(applied) if applied else 'none pending'}")
    return url


def _db_up(_: argparse.Namespace) -> int:
    url = _migrated_database_url(report=True)
    print(f"database ready: {url}")
    print(f"connect with:   psql '{url}'")
    return 0


def _db_migrate(_: argparse.Namespace) -> int:
    _migrated_database_url(report=True)
    return 0


def _db_reset(_: argparse.Namespace) -> int:
    url = embedded_db.local_database_url(PGDATA_DIR)
    rolled_back = rollback_migrations(url, MIGRATIONS_DIR, on_stale_lock=_say_stale_lock)
    print(f"migrations rolled back: {', '.join(rolled_back) if rolled_back else 'none'}")
    _migrated_database_url(report=True)
    return 0


def _read_only_database_url() -> str:
    """READ_ONLY_DATABASE_URL, or the read API's login role on the local database."""
    configured = os.environ.get("READ_ONLY_DATABASE_URL", "").strip()
    return configured or embedded_db.read_only_url(_migrated_database_url())


def _db_url(args: argparse.Namespace) -> int:
    if args.read_only:
        print(_read_only_database_url())
    else:
        print(embedded_db.local_database_url(PGDATA_DIR))
    return 0


def _db_down(_: argparse.Namespace) -> int:
    stopped = embedded_db.stop_server(PGDATA_DIR)
    print("embedded database stopped" if stopped else "no embedded database was running")
    return 0


def _serve(args: argparse.Namespace) -> int:
    # The read API connects as its read-only role, as the read Lambdas do on AWS.
    os.environ["DATABASE_URL"] = _read_only_database_url()
    # Imported late: the handlers read their settings when first imported.
    from alpha_monday_local.server import LocalApi, make_server  # noqa: PLC0415

    try:
        server = make_server(LocalApi(load_template()), args.host, args.port)
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        print(
            f"alpha-monday serve: error: port {args.port} on {args.host} is in use; "
            f"pick another with --port (e.g. --port {args.port + 1}, or make run PORT=...)",
            file=sys.stderr,
        )
        return 1
    base = f"http://{args.host}:{server.server_port}"
    print(f"serving the read API on {base} (Ctrl-C to stop)")
    print(f"  the dashboard: open {base}/ in a browser")
    print("  the JSON API, e.g.:")
    for path in ("/health", "/latest", "/batches?limit=5", "/batches/<batch_id>", "/track-record"):
        print(f"  curl -s '{base}{path}'")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def _openapi(args: argparse.Namespace) -> int:
    document = openapi.render()
    if args.check:
        if openapi.OPENAPI_PATH.read_text() != document:
            print(f"{openapi.OPENAPI_PATH} is out of date: run `make openapi`", file=sys.stderr)
            return 1
        print(f"{openapi.OPENAPI_PATH} is up to date")
        return 0
    openapi.OPENAPI_PATH.write_text(document)
    print(f"wrote {openapi.OPENAPI_PATH}")
    return 0


def _run_week(args: argparse.Namespace) -> int:
    # The runner tells the story; the handlers' JSON logs would bury it.
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "CRITICAL")
    # Business metrics are CloudWatch's (EMF lines on stdout): locally they would only be noise.
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    # Imported late: the handlers read their settings when first imported.
    from alpha_monday.integrations.providers import utc_now  # noqa: PLC0415
    from alpha_monday.run_config import market_settings  # noqa: PLC0415
    from alpha_monday_local import run_story, run_week  # noqa: PLC0415

    offline = market_settings().alpha_vantage_api_key is None

    def refusal(run_date: date) -> str | None:
        try:
            run_week.check_run_date(run_date, utc_now(), offline=offline)
        except run_week.RunDateRefused as refused:
            return f"alpha-monday run-week: error: {refused}"
        return None

    # A date given is judged before the database starts: a Tuesday costs nothing.
    if args.resume is None and (refused := refusal(args.date or run_week.latest_finished_monday())):
        print(refused, file=sys.stderr)
        return 2
    os.environ["DATABASE_URL"] = _migrated_database_url()
    for swept in run_week.sweep_abandoned_local_runs():
        print(
            f"batch {swept.batch.id} of {swept.batch.run_date.isoformat()} was left active by "
            f"a local run that died; marked failed (run-week --resume {swept.batch.id} "
            f"tracks it again)"
        )
    resume_batch_id = args.resume
    if resume_batch_id is not None:
        run_date = run_week.batch_to_resume(resume_batch_id).batch.run_date
        if refused := refusal(run_date):
            print(refused, file=sys.stderr)
            return 2
    else:
        run_date = args.date or run_week.latest_finished_monday()
    print(f"weekly run for Monday {run_date.isoformat()} (real state machine, moto, in-process)")
    story = run_story.RunStory()

    def show(event: dict[str, object]) -> None:
        line = story.see(event)
        if line:
            print(line, flush=True)

    report = run_week.run_week(run_date, on_event=show, resume_batch_id=resume_batch_id)
    try:
        detail = run_week.recorded_batch(run_date)
        batch_state = (
            f"batch {detail.batch.id} is {detail.batch.status}" if detail else "no batch recorded"
        )
    except DatabaseUnavailable:
        detail, batch_state = None, "the database is unreachable: the batch's state is unknown"
    already_recorded = report.error == "BatchAlreadyExists"
    if already_recorded:
        print(f"Monday {run_date.isoformat()} was recorded before; here it is, unchanged.")
    else:
        print(run_story.execution_summary(report))
    if report.status != "SUCCEEDED" and not already_recorded:
        print(story.failure_line(report, batch_state))
    if detail is not None:
        print(run_story.result_table(detail))
    # Re-running a recorded Monday is not an error for `make run`: the batch is shown.
    return 0 if report.status == "SUCCEEDED" or already_recorded else 1


def _migrate_remote(args: argparse.Namespace) -> int:
    from alpha_monday_local.remote import migrate_remote  # noqa: PLC0415

    succeeded, payload = migrate_remote(args.stack_name)
    print(json.dumps(payload, indent=2))
    if not succeeded:
        print(f"migrations FAILED on {args.stack_name}", file=sys.stderr)
        return 1
    print(f"migrations applied on {args.stack_name}: {payload.get('applied') or 'none pending'}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from alpha_monday_local.verify import load, verify  # noqa: PLC0415

    report = verify(load(args.source))
    for mismatch in report.mismatches:
        print(f"MISMATCH {mismatch}")
    checked = ", ".join(f"{count} {what}" for what, count in report.checked.items())
    print(f"checked {checked}: {len(report.mismatches)} mismatches")
    return 1 if report.mismatches else 0


def _iso_date(text: str) -> date:
    try:
        return parse_iso_date(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a Monday as YYYY-MM-DD, got {text!r}") from None


class _HelpWithDefaults(argparse.ArgumentDefaultsHelpFormatter):
    """Shows each option's default, except where there is none to show."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default in (None, False, argparse.SUPPRESS):
            return action.help
        return super()._get_help_string(action)


def _batch_id(text: str) -> UUID:
    try:
        return UUID(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a batch id (a UUID), got {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="alpha-monday", description=__doc__, formatter_class=_HelpWithDefaults
    )
    commands = parser.add_subparsers(dest="command", required=True)

    def add_command(name: str, help: str) -> argparse.ArgumentParser:
        # The one line shows in `alpha-monday --help` and atop the command's own --help.
        return commands.add_parser(
            name, help=help, description=help, formatter_class=_HelpWithDefaults
        )

    db = add_command("db", help="the local database (embedded unless DATABASE_URL is set)")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    for name, handler, help_text in (
        ("up", _db_up, "start the embedded server, create and migrate the database"),
        ("migrate", _db_migrate, "apply pending migrations"),
        ("reset", _db_reset, "roll every migration back, then apply them all again (data lost)"),
        ("url", _db_url, "print the database URL"),
        ("down", _db_down, "stop the embedded server"),
    ):
        command = db_commands.add_parser(
            name, help=help_text, description=help_text, formatter_class=_HelpWithDefaults
        )
        command.set_defaults(handler=handler)
        if name == "url":
            command.add_argument(
                "--read-only",
                action="store_true",
                help="the read API's URL: a role that may only SELECT the published tables",
            )

    run = add_command("run-week", help="run one weekly batch through the state machine")
    target = run.add_mutually_exclusive_group()
    target.add_argument(
        "--date",
        type=_iso_date,
        help="the Monday to run (default: the latest Monday whose fortnight is over)",
    )
    target.add_argument(
        "--resume",
        type=_batch_id,
        metavar="BATCH_ID",
        help="track a failed batch again: recorded days are rewritten with the same values, "
        "missing ones filled in",
    )
    run.set_defaults(handler=_run_week)

    check = add_command(
        "verify",
        help="recompute every published return, batch alpha, the track record and every "
        "commitment from the open data, and list what differs",
    )
    check.add_argument(
        "source",
        help="a deployment's base URL (http://127.0.0.1:3000) or a folder of the open-data "
        "CSVs (with track-record.json for the track record; docs/open-data.md)",
    )
    check.set_defaults(handler=_verify)

    serve = add_command("serve", help="serve the read API on localhost")
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on")
    serve.add_argument("--port", type=int, default=3000, help="the port to listen on")
    serve.set_defaults(handler=_serve)

    remote = add_command(
        "migrate-remote", help="apply migrations to a deployed stack's database (AWS credentials)"
    )
    remote.add_argument(
        "--stack-name", required=True, help="the deployed stack, e.g. alpha-monday-dev"
    )
    remote.set_defaults(handler=_migrate_remote)

    openapi_command = add_command("openapi", help="write shared/openapi.json")
    openapi_command.add_argument("--check", action="store_true", help="fail if it would change")
    openapi_command.set_defaults(handler=_openapi)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except (AlphaMondayError, psycopg.Error) as error:
        # One line a person can act on; no traceback.
        reason = str(error) if isinstance(error, AlphaMondayError) else type(error).__name__
        print(f"alpha-monday {args.command}: error: {reason}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
