"""API Gateway's REST proxy events in and out, as every read function answers them: HEAD is
GET without the body, CORS is the request's own, and shared caches key on Origin."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig
from aws_lambda_powertools.utilities.typing import LambdaContext

from alpha_monday.api.caching import VARY
from alpha_monday.config import ApiSettings


def is_rest_proxy_event(event: dict[str, Any]) -> bool:
    return isinstance(event.get("httpMethod"), str) and isinstance(event.get("path"), str)


def cors_config(settings: ApiSettings) -> CORSConfig:
    origins = settings.cors_allow_origins
    return CORSConfig(allow_origin=origins[0], extra_origins=list(origins[1:]), max_age=600)


def resolve(
    resolver: APIGatewayRestResolver, event: dict[str, Any], context: LambdaContext
) -> dict[str, Any]:
    """Route a REST proxy event (HEAD as GET without its body), with `Vary: Origin`."""
    # HEAD is GET without the body (a page's headers, its status), as HTTP defines it.
    head = event["httpMethod"] == "HEAD"
    result: dict[str, Any] = resolver.resolve(
        {**event, "httpMethod": "GET"} if head else event, context
    )
    if head:
        result["body"] = ""
    multi_value = result.setdefault("multiValueHeaders", {})
    for name, value in VARY.items():
        multi_value[name] = [value]
    return result
