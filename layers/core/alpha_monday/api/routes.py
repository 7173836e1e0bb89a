"""What the JSON routes share: how they reach the database and how an answer is sent.
Each resource's routes are a router of their own (health_routes, batch_routes,
track_record_routes), so that each read function loads only what its route needs."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

import psycopg
from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.router import APIGatewayRouter
from pydantic import BaseModel

from alpha_monday.config import ApiSettings

# How the routes reach the database: the warm container's connection on Lambda.
Connect = Callable[[], psycopg.Connection]
# A resource's routes, given the connection they read through and the API's settings.
Routes = Callable[[Connect, ApiSettings], APIGatewayRouter]


def json_response(
    body: BaseModel, cache_control: str, status: HTTPStatus = HTTPStatus.OK
) -> Response[str]:
    # Serialised here, once, by pydantic's core: the models were validated when built, and
    # the resolver's generic encoder would walk them again (most of a page's time).
    return Response(
        status_code=status.value,
        content_type=content_types.APPLICATION_JSON,
        body=body.model_dump_json(),
        headers={"Cache-Control": cache_control},
    )
