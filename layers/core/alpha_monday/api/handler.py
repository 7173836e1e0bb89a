"""The Lambda entry point of the read functions: each serves its own resource's routes."""

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from alpha_monday.api.app import create_app, respond
from alpha_monday.api.routes import Routes
from alpha_monday.config import api_settings, database_settings
from alpha_monday.db.connection import get_connection
from alpha_monday.observability import logger

LambdaHandler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


def lambda_handler_for(*routes: Routes) -> LambdaHandler:
    """A read function's handler: the resolver of `routes`, built at cold start."""
    # Read now (without fetching the secret), so a missing setting names itself.
    database_settings()
    app = create_app(api_settings(), get_connection, *routes)

    @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
    def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        return respond(app, event, context)

    return lambda_handler
