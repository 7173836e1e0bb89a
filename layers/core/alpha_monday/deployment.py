"""Schema migrations on deploy: a CloudFormation custom resource, or a direct invocation."""

from __future__ import annotations

from typing import Any, Literal

import psycopg
from pydantic import BaseModel, ConfigDict

from alpha_monday.config import database_settings
from alpha_monday.db.migrations import MIGRATIONS_DIR, apply_migrations
from alpha_monday.domain.capacity import ConnectionBudgetExceeded, check_connection_budget
from alpha_monday.integrations.cloudformation import send_response
from alpha_monday.observability import logger

PHYSICAL_RESOURCE_ID = "alpha-monday-database-migrations"


class MigrationOutcome(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: Literal["SUCCESS", "FAILED"]
    applied: list[str]
    reason: str = ""
    # The server's own limit (max_connections less the superusers' reserve), when read.
    server_connections: int | None = None


_SERVER_CONNECTIONS_SQL = """
SELECT current_setting('max_connections')::int
       - current_setting('superuser_reserved_connections')::int
"""


def _server_connections(database_url: str) -> int:
    with psycopg.connect(database_url, autocommit=True) as conn:
        row = conn.execute(_SERVER_CONNECTIONS_SQL).fetchone()
    assert row is not None
    return int(row[0])


def _connection_budget(properties: dict[str, Any], server: int) -> None:
    """The template's read concurrency against its connection budget (refused when over),
    and the budget against what the server reports (told: a pooler may allow more)."""
    if "ReadFunctionConcurrency" not in properties:
        return  # invoked directly (make migrate-remote): no template to check
    allowed = int(properties["DatabaseMaxConnections"])
    needed = check_connection_budget(int(properties["ReadFunctionConcurrency"]), allowed)
    logger.info(
        "connection budget",
        extra={"needed": needed, "allowed": allowed, "server_connections": server},
    )
    if allowed > server:
        logger.warning(
            "DatabaseMaxConnections is more than the server allows: right only when "
            "DATABASE_URL goes through a pooler (docs/scale.md)",
            extra={"allowed": allowed, "server_connections": server},
        )


def _migrate(properties: dict[str, Any]) -> MigrationOutcome:
    database_url = ""
    try:
        database_url = database_settings().database_url.reveal()
        server = _server_connections(database_url)
        _connection_budget(properties, server)
        applied = apply_migrations(database_url, MIGRATIONS_DIR, on_stale_lock=logger.warning)
    except ConnectionBudgetExceeded as error:
        logger.error("connection budget exceeded", extra={"reason": str(error)})
        return MigrationOutcome(status="FAILED", applied=[], reason=str(error))
    except Exception as error:
        logger.error("migrations failed", extra={"error_type": type(error).__name__})
        reason = f"{type(error).__name__}: {error}"
        if database_url:
            reason = reason.replace(database_url, "<DATABASE_URL>")
        return MigrationOutcome(status="FAILED", applied=[], reason=reason)
    logger.info("migrations applied", extra={"applied": applied})
    return MigrationOutcome(status="SUCCESS", applied=applied, server_connections=server)


def run_migrations(event: dict[str, Any]) -> MigrationOutcome:
    """Apply pending migrations; idempotent, and safe to run concurrently (yoyo's lock).

    As a custom resource, Create and Update migrate and Delete keeps the data; the outcome
    is sent to CloudFormation, so a failed migration fails (and rolls back) the deploy.
    Invoked directly (`make migrate-remote`), a failure raises, so the command fails loudly.
    """
    request_type = event.get("RequestType")
    outcome = (
        MigrationOutcome(status="SUCCESS", applied=[])
        if request_type == "Delete"
        else _migrate(event.get("ResourceProperties") or {})
    )
    if request_type is not None:
        send_response(
            event,
            outcome.status,
            PHYSICAL_RESOURCE_ID,
            reason=outcome.reason,
            data={
                "Applied": ",".join(outcome.applied) or "none",
                "ServerConnections": str(outcome.server_connections),
            },
        )
    elif outcome.status == "FAILED":
        raise RuntimeError(f"migrations failed: {outcome.reason}")
    return outcome
