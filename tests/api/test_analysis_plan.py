"""GET /analysis-plan: the plan the track record follows, served as the repository holds it."""

from __future__ import annotations

from typing import Any

from alpha_monday_local.lambda_context import LocalLambdaContext
from alpha_monday_local.paths import PROJECT_ROOT
from alpha_monday_local.server import proxy_event
from alpha_monday_local.template import api_routes, functions, load_handler


def test_the_analysis_plan_is_served_as_written(
    database_url: str, template: dict[str, Any]
) -> None:
    # Given the route API Gateway sends GET /analysis-plan to
    (route,) = [r for r in api_routes(template) if (r.method, r.path) == ("GET", "/analysis-plan")]
    handler = load_handler(functions(template)[route.function_name])
    # When a person asks for it
    event = proxy_event("GET", "/analysis-plan", {}, route, b"")
    result = handler(event, LocalLambdaContext(route.function_name, "plan"))
    # Then it is the repository's docs/analysis-plan.md, as plain UTF-8 text
    headers = {k: v[-1] for k, v in (result.get("multiValueHeaders") or {}).items()}
    headers.update(result.get("headers") or {})
    assert result["statusCode"] == 200
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert result["body"] == (PROJECT_ROOT / "docs" / "analysis-plan.md").read_text("utf-8")
    assert "## 4. What the project will not claim" in result["body"]
