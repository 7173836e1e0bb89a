"""The read API's resolver: the routes, the error handlers and CORS, built by one factory.

Each read Lambda builds it with its own resource's routes (so it loads only what they
need), the OpenAPI document with all of them; the routes are given the database
connection they read through (`connect`), never a module global.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import (
    APIGatewayRestResolver,
    Response,
    content_types,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from alpha_monday.api.caching import CACHE_NEVER, VARY
from alpha_monday.api.errors import error_body, error_response, register_error_handlers
from alpha_monday.api.proxy import cors_config, is_rest_proxy_event, resolve
from alpha_monday.api.routes import Connect, Routes
from alpha_monday.config import ApiSettings, api_settings


def invalid_event_response(reason: str) -> dict[str, Any]:
    """A 400 in API Gateway's proxy form, for an event the resolver cannot even route."""
    return {
        "statusCode": HTTPStatus.BAD_REQUEST.value,
        "headers": {
            "Content-Type": content_types.APPLICATION_JSON,
            "Cache-Control": CACHE_NEVER,
            **VARY,
        },
        "body": error_body("invalid_request", reason),
        "isBase64Encoded": False,
    }


def respond(
    resolver: APIGatewayRestResolver, event: dict[str, Any], context: LambdaContext
) -> dict[str, Any]:
    """Route an API Gateway event; anything but a REST proxy event is a JSON 400, never a
    KeyError."""
    if not is_rest_proxy_event(event):
        return invalid_event_response(
            "not an API Gateway REST proxy event: httpMethod and path are required"
        )
    return resolve(resolver, event, context)


def unrouted_response(
    status: HTTPStatus, code: str, message: str, origin: str | None
) -> tuple[int, dict[str, str], str]:
    """An error answered before any route (the local server's 404 and 405), with the same
    body, Cache-Control and CORS headers as every routed response."""
    headers = {
        "Content-Type": content_types.APPLICATION_JSON,
        "Cache-Control": CACHE_NEVER,
        **cors_config(api_settings()).to_dict(origin),
        **VARY,
    }
    return status.value, headers, error_body(code, message)


def create_app(settings: ApiSettings, connect: Connect, *routes: Routes) -> APIGatewayRestResolver:
    """A resolver of `routes` (a resource's JSON routes, the pages) reading through
    `connect`, with every error handler and CORS as set."""
    app = APIGatewayRestResolver(enable_validation=True, cors=cors_config(settings))
    for resource in routes:
        app.include_router(resource(connect, settings))
    register_error_handlers(app)

    @app.not_found
    def _route_not_found(_: Exception) -> Response[str]:
        path = app.current_event.path
        return error_response(HTTPStatus.NOT_FOUND, "not_found", f"no route for {path}")

    return app
