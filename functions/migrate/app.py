"""Applies the database migrations: on every deploy (custom resource) or on demand."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from alpha_monday.deployment import run_migrations
from alpha_monday.observability import logger


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return run_migrations(event).model_dump(mode="json")
