"""The Lambda entry point shared by the read functions; each serves its own route."""

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from alpha_monday.api.app import create_app, respond
from alpha_monday.config import api_settings, database_settings
from alpha_monday.db.connection import get_connection
from alpha_monday.observability import logger

# Read at cold start (without fetching the secret), so a missing setting names itself.
database_settings()
app = create_app(api_settings(), get_connection)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return respond(app, event, context)
