"""The committed OpenAPI document, generated from the API resolver."""

from __future__ import annotations

import json

from alpha_monday_local.paths import SHARED_DIR

OPENAPI_PATH = SHARED_DIR / "openapi.json"


def render() -> str:
    # Imported here: building the resolver reads the API settings.
    from alpha_monday.api.openapi import openapi_document  # noqa: PLC0415

    return json.dumps(openapi_document(), indent=2, sort_keys=True) + "\n"
