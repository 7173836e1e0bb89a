"""Read API fixtures: API Gateway events delivered to the real handlers from template.yaml."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from alpha_monday_local.lambda_context import LocalLambdaContext
from alpha_monday_local.server import proxy_event
from alpha_monday_local.template import api_routes, functions, load_handler


@dataclass(frozen=True)
class ApiResponse:
    status: int
    headers: dict[str, str]
    body: Any


Call = Callable[..., ApiResponse]


def lambda_result(
    template: dict[str, Any],
    path: str,
    headers: dict[str, str] | None = None,
    method: str = "GET",
) -> dict[str, Any]:
    """What the Lambda function API Gateway would route `path` to returns, as it returns it."""
    bare = path.split("?", maxsplit=1)[0]
    route = next(r for r in api_routes(template) if r.method == "GET" and r.pattern.match(bare))
    handler = load_handler(functions(template)[route.function_name])
    event = proxy_event(method, path, {k: [v] for k, v in (headers or {}).items()}, route, b"")
    result: dict[str, Any] = handler(event, LocalLambdaContext(route.function_name, "test"))
    return result


@pytest.fixture
def call_api(database_url: str, template: dict[str, Any]) -> Call:
    """GET a path through the Lambda function API Gateway would route it to."""

    def call(path: str, headers: dict[str, str] | None = None, method: str = "GET") -> ApiResponse:
        result = lambda_result(template, path, headers, method)
        response_headers = {k: v[-1] for k, v in (result.get("multiValueHeaders") or {}).items()}
        response_headers.update(result.get("headers") or {})
        return ApiResponse(int(result["statusCode"]), response_headers, json.loads(result["body"]))

    return call
