"""Importing a read handler loads no HTTP client, SDK or dev tool, nor its routes: a cold
start that serves a stored answer needs only the store (docs/scale.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from alpha_monday_local.server import proxy_event
from alpha_monday_local.template import api_routes, functions, handler_file, load_template
from tests.builders import seed_batches

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
READ_FUNCTIONS = sorted({route.function_name for route in api_routes(load_template())})


def _modules_loaded_by(
    properties: dict[str, Any],
    event: dict[str, Any] | None = None,
    database_url: str = "postgresql://unused/unused",
) -> set[str]:
    """The modules a fresh interpreter holds once it has imported the function's handler
    file (and found its handler), as a cold Lambda does, and answered `event` if given."""
    path, handler = handler_file(properties)
    script = (
        "import importlib.util, json, sys\n"
        f"spec = importlib.util.spec_from_file_location('app', {str(path)!r})\n"
        "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)\n"
        f"assert callable(module.{handler})\n"
        "event = json.loads(sys.stdin.read())\n"
        "if event:\n"
        "    from alpha_monday_local.lambda_context import LocalLambdaContext\n"
        f"    answer = module.{handler}(event, LocalLambdaContext('cold', 'start'))\n"
        "    assert answer['statusCode'] == 200, answer\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    environment = {"DATABASE_URL": database_url, "PATH": ""}
    output = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(event or {}),
        capture_output=True,
        text=True,
        check=True,
        env=environment,
    ).stdout
    return set(json.loads(output.splitlines()[-1]))


@pytest.mark.parametrize("function_name", READ_FUNCTIONS)
def test_read_handler_imports_no_heavy_or_dev_module(
    function_name: str, template: dict[str, Any]
) -> None:
    # Given a fresh interpreter that imports only the handler's file, as Lambda does
    loaded = _modules_loaded_by(functions(template)[function_name])
    # Then none of the forbidden top-level packages was imported
    offenders = sorted({name for name in loaded if name.split(".")[0] in FORBIDDEN})
    assert offenders == []


# Each read function loads its own resource's modules, never another's (docs/scale.md: the
# cold start at the floor).
TRACK_RECORD = (
    "alpha_monday.api.track_record_models",
    "alpha_monday.domain.track_record",
    # Its statistics too: the settings name the power figure's edge, not how it is used.
    "alpha_monday.domain.confidence_sequence",
    "alpha_monday.domain.statistics",
)
BATCHES = ("alpha_monday.api.batch_models", "alpha_monday.db.batches")
NOT_LOADED_BY = {
    "HealthFunction": (*BATCHES, *TRACK_RECORD),
    "LatestBatchFunction": TRACK_RECORD,
    "ListBatchesFunction": TRACK_RECORD,
    "GetBatchFunction": TRACK_RECORD,
    "TrackRecordFunction": BATCHES,
}
NOT_LOADED_BY_ANY_READ = (
    "alpha_monday.run_config",
    "alpha_monday.workflow",
    "alpha_monday.integrations",
    # Storing a new batch and hashing its commitment are the weekly run's alone.
    "alpha_monday.db.new_batch",
    "alpha_monday.domain.commitment",
)


@pytest.mark.parametrize("function_name", sorted(NOT_LOADED_BY))
def test_a_json_read_function_loads_only_its_own_resource(
    function_name: str, template: dict[str, Any]
) -> None:
    # Given a fresh interpreter that imports only the handler's file, as Lambda does
    loaded = _modules_loaded_by(functions(template)[function_name])
    # Then no other resource's models, nor the weekly run's code, were loaded
    unwanted = (*NOT_LOADED_BY[function_name], *NOT_LOADED_BY_ANY_READ)
    offenders = sorted(name for name in loaded if name.startswith(unwanted))
    assert offenders == []
    # And it holds the store's resolver, not yet its own routes' (they render on need)
    assert "alpha_monday.api.stored" in loaded
    assert "alpha_monday.api.app" not in loaded


# What the routes load: none of it is needed to serve a stored answer.
ROUTES_MODULES = ("alpha_monday.api.app", "alpha_monday.api.errors", "alpha_monday.dashboard")
FIRST_RENDERED = {
    "HealthFunction": "/health",
    "LatestBatchFunction": "/latest",
    "ListBatchesFunction": "/batches",
    "TrackRecordFunction": "/track-record",
    "DashboardFunction": "/",
}


@pytest.mark.parametrize("function_name", READ_FUNCTIONS)
def test_a_read_function_imports_its_routes_only_to_render(
    function_name: str, template: dict[str, Any]
) -> None:
    # Given a fresh interpreter that imports only the handler's file
    loaded = _modules_loaded_by(functions(template)[function_name])
    # Then nothing of the routes, their models or the pages' templates was loaded
    assert sorted(name for name in loaded if name.startswith(ROUTES_MODULES)) == []
    assert not {"jinja2", "markupsafe"} & {name.split(".")[0] for name in loaded}


@pytest.mark.parametrize("function_name", sorted(FIRST_RENDERED))
def test_a_read_function_renders_what_the_store_does_not_hold(
    function_name: str, template: dict[str, Any], database_url: str, conn: Any
) -> None:
    # Given a week recorded, and nothing in the answer store
    seed_batches(conn, 1)
    path = FIRST_RENDERED[function_name]
    route = next(r for r in api_routes(template) if r.method == "GET" and r.path == path)
    event = proxy_event("GET", path, {}, route, b"")
    # When a cold function answers its first request
    loaded = _modules_loaded_by(functions(template)[function_name], event, database_url)
    # Then it imported its routes to render it (and answered 200)
    assert "alpha_monday.api.app" in loaded
    assert (function_name == "DashboardFunction") == ("jinja2" in loaded)
