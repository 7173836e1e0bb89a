"""The committed OpenAPI document is the code's, and matches the template's routes."""

from __future__ import annotations

import json
from typing import Any

from alpha_monday_local import openapi
from alpha_monday_local.template import api_routes


def test_committed_document_matches_the_resolver() -> None:
    # A failure here means: run `make openapi` and commit shared/openapi.json.
    assert openapi.OPENAPI_PATH.read_text() == openapi.render()


def test_every_documented_route_has_an_api_event_and_vice_versa(template: dict[str, Any]) -> None:
    document = json.loads(openapi.OPENAPI_PATH.read_text())
    documented = {
        (method.upper(), path) for path, ops in document["paths"].items() for method in ops
    }
    deployed = {(route.method, route.path) for route in api_routes(template)}
    # The pages (the dashboard's function) are for people, not part of the JSON API.
    pages = {
        (method, path)
        for method in ("GET", "HEAD")
        for path in (
            "/",
            "/weeks/{run_date}",
            "/feed.atom",
            "/data/{file}",
            "/analysis-plan",
            "/favicon.ico",
        )
    }
    assert documented == deployed - pages


def test_every_error_response_uses_the_error_model() -> None:
    document = json.loads(openapi.OPENAPI_PATH.read_text())
    for path, operations in document["paths"].items():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                schema = response["content"]["application/json"]["schema"]["$ref"]
                if status.startswith(("4", "5")) and path != "/health":
                    assert schema.endswith("/ErrorBody"), (path, status)


def test_every_field_has_a_description_and_every_value_an_example() -> None:
    # Given the committed document, then each property of each schema is explained
    document = json.loads(openapi.OPENAPI_PATH.read_text())
    for name, schema in document["components"]["schemas"].items():
        for field, spec in schema.get("properties", {}).items():
            assert spec.get("description"), (name, field)
            refs = [spec, *spec.get("anyOf", [])]
            is_container = spec.get("type") == "array" or any("$ref" in r for r in refs)
            assert is_container or spec.get("examples"), (name, field)
