"""Importing a read handler loads no HTTP client, SDK or dev tool (cold start stays small)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from alpha_monday_local.template import api_routes, functions, handler_file, load_template

FORBIDDEN = (
    "openai",
    "httpx",
    "boto3",
    "moto",
    "pytest",
    "pgserver",
    "yaml",
    "schemathesis",
    "jinja2",
    "scipy",
    "holidays",  # the NYSE tables: the read side needs only the clock (domain/market_time.py)
)
# What one function alone may load: the pages render their templates with Jinja2.
ALSO_ALLOWED = {"DashboardFunction": {"jinja2", "markupsafe"}}

READ_FUNCTIONS = sorted({route.function_name for route in api_routes(load_template())})


@pytest.mark.parametrize("function_name", READ_FUNCTIONS)
def test_read_handler_imports_no_heavy_or_dev_module(
    function_name: str, template: dict[str, Any]
) -> None:
    # Given a fresh interpreter that imports only the handler's file, as Lambda does
    path, handler = handler_file(functions(template)[function_name])
    script = (
        "import importlib.util, json, sys\n"
        f"spec = importlib.util.spec_from_file_location('app', {str(path)!r})\n"
        "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)\n"
        f"assert callable(module.{handler})\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    environment = {"DATABASE_URL": "postgresql://unused/unused", "PATH": ""}
    output = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=environment
    ).stdout
    loaded = json.loads(output)
    # Then none of the forbidden top-level packages was imported
    forbidden = set(FORBIDDEN) - ALSO_ALLOWED.get(function_name, set())
    offenders = sorted({name for name in loaded if name.split(".")[0] in forbidden})
    assert offenders == []
