"""The Lambda entry point shared by the read functions; each serves its own route."""

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from alpha_monday.api.resolver import VARY, create_app, invalid_event_response
from alpha_monday.config import api_settings, database_settings
from alpha_monday.observability import logger

# Read at cold start (without fetching the secret), so a missing setting names itself.
database_settings()
app = create_app(api_settings())


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if not isinstance(event.get("httpMethod"), str) or not isinstance(event.get("path"), str):
        return invalid_event_response(
            "not an API Gateway REST proxy event: httpMethod and path are required"
        )
    result: dict[str, Any] = app.resolve(event, context)
    multi_value = result.setdefault("multiValueHeaders", {})
    for name, value in VARY.items():
        multi_value[name] = [value]
    return result
