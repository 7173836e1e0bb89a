"""The OpenAPI document, generated from the very resolver the read functions serve."""

from __future__ import annotations

import json
from typing import Any

from alpha_monday.api.app import create_app
from alpha_monday.api.batch_routes import batch_routes
from alpha_monday.api.health_routes import health_routes
from alpha_monday.api.track_record_routes import track_record_routes
from alpha_monday.config import ApiSettings

API_TITLE = "Alpha Monday"
API_VERSION = "1.0.0"
# Every JSON route of the read API (each read function serves one of these).
READ_ROUTES = (health_routes, batch_routes, track_record_routes)


def _no_connection() -> Any:
    raise AssertionError("the OpenAPI document is built without reading the database")


def openapi_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        create_app(ApiSettings(), _no_connection, *READ_ROUTES).get_openapi_json_schema(
            title=API_TITLE,
            version=API_VERSION,
            description="Read-only results of Alpha Monday's weekly language-model stock picks. "
            "Every Monday a model picks three US stocks, BUY (will beat SPY over two weeks) or "
            "SELL (will trail it); each day's returns are measured from the last close before "
            "the Monday. Prices are exact decimal strings as the provider sent them; returns "
            "are percent at 6 decimal places (half-even).",
        )
    )
    # Powertools documents its default 422; this API answers invalid input with 400 instead.
    for operations in document["paths"].values():
        for operation in operations.values():
            operation["responses"].pop("422", None)
    schemas = document["components"]["schemas"]
    for unused in ("HTTPValidationError", "ValidationError", "ResponseValidationError"):
        schemas.pop(unused, None)
    return document
