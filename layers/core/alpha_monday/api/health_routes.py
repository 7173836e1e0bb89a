"""GET /health: whether the service can answer with data."""

from __future__ import annotations

from http import HTTPStatus

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from alpha_monday.api.caching import CACHE_NEVER
from alpha_monday.api.errors import documented_responses
from alpha_monday.api.models import Health
from alpha_monday.api.routes import Connect, json_response
from alpha_monday.config import ApiSettings
from alpha_monday.db.health import database_answers


def health_routes(connect: Connect, settings: ApiSettings) -> APIGatewayRouter:
    """GET /health."""
    router = APIGatewayRouter()  # type: ignore[no-untyped-call]

    @router.get(
        "/health",
        summary="Service and database health",
        operation_id="getHealth",
        responses=documented_responses(Health)
        | {
            HTTPStatus.SERVICE_UNAVAILABLE.value: {
                "description": "the database is unreachable",
                "content": {content_types.APPLICATION_JSON: {"model": Health}},
            }
        },
    )
    def health() -> Response[str]:
        if not database_answers(connect):
            return json_response(
                Health(status="unavailable", database="unavailable"),
                CACHE_NEVER,
                HTTPStatus.SERVICE_UNAVAILABLE,
            )
        return json_response(Health(status="ok", database="ok"), CACHE_NEVER)

    return router
