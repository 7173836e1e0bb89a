"""Schema migrations on deploy: a CloudFormation custom resource, or a direct invocation."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from alpha_monday.config import database_settings
from alpha_monday.db.migrations import MIGRATIONS_DIR, apply_migrations
from alpha_monday.integrations.cloudformation import send_response
from alpha_monday.observability import logger

PHYSICAL_RESOURCE_ID = "alpha-monday-database-migrations"


class MigrationOutcome(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: Literal["SUCCESS", "FAILED"]
    applied: list[str]
    reason: str = ""


def _migrate() -> MigrationOutcome:
    database_url = ""
    try:
        database_url = database_settings().database_url.reveal()
        applied = apply_migrations(database_url, MIGRATIONS_DIR, on_stale_lock=logger.warning)
    except Exception as error:
        logger.error("migrations failed", extra={"error_type": type(error).__name__})
        reason = f"{type(error).__name__}: {error}"
        if database_url:
            reason = reason.replace(database_url, "<DATABASE_URL>")
        return MigrationOutcome(status="FAILED", applied=[], reason=reason)
    logger.info("migrations applied", extra={"applied": applied})
    return MigrationOutcome(status="SUCCESS", applied=applied)


def run_migrations(event: dict[str, Any]) -> MigrationOutcome:
    """Apply pending migrations; idempotent, and safe to run concurrently (yoyo's lock).

    As a custom resource, Create and Update migrate and Delete keeps the data; the outcome
    is sent to CloudFormation, so a failed migration fails (and rolls back) the deploy.
    Invoked directly (`make migrate-remote`), a failure raises, so the command fails loudly.
    """
    request_type = event.get("RequestType")
    outcome = (
        MigrationOutcome(status="SUCCESS", applied=[]) if request_type == "Delete" else _migrate()
    )
    if request_type is not None:
        send_response(
            event,
            outcome.status,
            PHYSICAL_RESOURCE_ID,
            reason=outcome.reason,
            data={"Applied": ",".join(outcome.applied) or "none"},
        )
    elif outcome.status == "FAILED":
        raise RuntimeError(f"migrations failed: {outcome.reason}")
    return outcome
