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


def _modules_loaded_by(properties: dict[str, Any]) -> set[str]:
    """The modules a fresh interpreter holds once it has imported the function's handler
    file (and found its handler), as a cold Lambda does."""
    path, handler = handler_file(properties)
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
    return set(json.loads(output))


@pytest.mark.parametrize("function_name", READ_FUNCTIONS)
def test_read_handler_imports_no_heavy_or_dev_module(
    function_name: str, template: dict[str, Any]
) -> None:
    # Given a fresh interpreter that imports only the handler's file, as Lambda does
    loaded = _modules_loaded_by(functions(template)[function_name])
    # Then none of the forbidden top-level packages was imported
    forbidden = set(FORBIDDEN) - ALSO_ALLOWED.get(function_name, set())
    offenders = sorted({name for name in loaded if name.split(".")[0] in forbidden})
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
    # And the resolver still serves its route (the handler module built it)
    assert "alpha_monday.api.app" in loaded
