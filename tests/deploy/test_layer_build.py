"""What `sam build` ships: every module of the layer and of the dashboard function with
hash-based bytecode of the runtime's Python (built here for this machine's platform by
the very recipe the Makefiles run for arm64)."""

from __future__ import annotations

import py_compile
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from alpha_monday.dashboard import page
from alpha_monday.release import code_release
from alpha_monday_local.layer_build import (
    build_dashboard,
    build_layer,
    bytecode_problems,
    runtime_python,
    source_release,
)
from alpha_monday_local.paths import PROJECT_ROOT
from alpha_monday_local.server import proxy_event
from alpha_monday_local.template import ApiRoute
from benchmarks.api import cold_start_once

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def layer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_layer(tmp_path_factory.mktemp("layer"), platform=None, python=runtime_python())


def test_every_module_of_the_layer_has_hash_based_bytecode_of_the_runtime(layer: Path) -> None:
    assert (layer / "alpha_monday" / "migrations" / "0001_batches.sql").exists()
    # the pages' templates, and the analysis plan as a copy of the repository's
    assert (layer / "alpha_monday" / "dashboard" / "templates" / "dashboard.html").exists()
    plan = layer / "alpha_monday" / "analysis-plan.md"
    assert not plan.is_symlink()
    assert plan.read_text("utf-8") == (PROJECT_ROOT / "docs" / "analysis-plan.md").read_text(
        "utf-8"
    )
    assert bytecode_problems(layer, runtime_python()) == []


def test_a_read_handler_loads_from_the_bytecode_without_writing_any(layer: Path) -> None:
    # Given the layer on a path nothing may be written to (-B), as on Lambda's /opt
    script = (
        "import sys, app\n"
        "resolver = sys.modules['alpha_monday.api.stored']\n"
        "print(resolver.__spec__.cached)\n"
    )
    ran = subprocess.run(
        [runtime_python(), "-B", "-c", script],
        env={
            "PYTHONPATH": f"{layer}:{PROJECT_ROOT / 'functions' / 'latest_batch'}",
            "DATABASE_URL": "postgresql://unused/unused",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert ran.stdout.strip().endswith(".cpython-311.pyc")


def test_the_layer_names_its_release_so_no_other_release_serves_its_stored_answers(
    layer: Path,
) -> None:
    # Given the layer as built, and the release its sources make
    release = source_release()
    # Then it holds that release, which a cold interpreter on it reads as its own
    assert (layer / "alpha_monday" / "release.txt").read_text() == release + "\n"
    ran = subprocess.run(
        [
            runtime_python(),
            "-B",
            "-c",
            "from alpha_monday import release\nprint(release.code_release())",
        ],
        env={"PYTHONPATH": str(layer)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert ran.stdout.strip() == release
    # And the same sources make the same release; a development checkout is its own each time
    assert source_release() == release
    assert code_release().startswith("development-")


def test_the_pages_render_from_the_layers_compiled_templates_as_from_the_sources(
    layer: Path, tmp_path: Path
) -> None:
    # Given the pages' function and the layer as shipped (its templates compiled to modules)
    pages = build_dashboard(tmp_path, platform=None, python=runtime_python())
    script = (
        "from datetime import UTC, datetime\n"
        "from alpha_monday.dashboard import page, rendering\n"
        "print(type(rendering.environment().loader).__name__)\n"
        "print(page.error_html(404, 'Not Found', 'no <b>week</b> & more'))\n"
        "print(page.feed_atom([], datetime(2026, 12, 2, tzinfo=UTC)))\n"
    )
    # When a cold interpreter renders a page from them, writing nothing
    ran = subprocess.run(
        [runtime_python(), "-B", "-c", script],
        env={"PYTHONPATH": f"{pages}:{layer}"},
        capture_output=True,
        text=True,
        check=True,
    )
    # Then it loads the compiled modules and renders exactly what the sources render
    loader, _, rendered = ran.stdout.partition("\n")
    assert loader == "ModuleLoader"
    assert rendered == (
        page.error_html(404, "Not Found", "no <b>week</b> & more")
        + "\n"
        + page.feed_atom([], datetime(2026, 12, 2, tzinfo=UTC))
        + "\n"
    )
    assert "no &lt;b&gt;week&lt;/b&gt; &amp; more" in rendered


def test_the_cold_start_benchmark_answers_a_request_from_the_built_layer(
    layer: Path, database_url: str
) -> None:
    # Given the health handler on the built layer and a database to answer from
    route = ApiRoute("GET", "/health", "HealthFunction")
    handler = PROJECT_ROOT / "functions" / "health" / "app.py"
    # When the benchmark's probe imports it and answers one request in a fresh interpreter
    event = proxy_event("GET", "/health", {}, route, b"")
    imported, answered = cold_start_once(handler, event, layer, runtime_python(), database_url)
    # Then both times were measured (the probe checks the 200), the answer after the import
    assert 0 < imported < answered


def test_a_timestamp_based_or_missing_pyc_is_named(layer: Path, tmp_path: Path) -> None:
    # Given a module compiled the default (timestamp) way, and one not compiled at all
    module = tmp_path / "stale.py"
    module.write_text("X = 1\n")
    py_compile.compile(str(module), invalidation_mode=py_compile.PycInvalidationMode.TIMESTAMP)
    (tmp_path / "raw.py").write_text("Y = 2\n")
    problems = bytecode_problems(tmp_path, runtime_python())
    assert problems == [
        "raw.py: no raw.cpython-311.pyc",
        "stale.py: timestamp-based, stale in a 1980-dated zip",
    ]


def test_the_dashboard_function_ships_jinja2_with_its_bytecode(tmp_path: Path) -> None:
    built = build_dashboard(tmp_path, platform=None, python=runtime_python())
    assert (built / "jinja2" / "__init__.py").exists()
    assert (built / "markupsafe" / "__init__.py").exists()
    assert bytecode_problems(built, runtime_python()) == []


def test_sam_builds_the_layer_and_the_dashboard_with_their_makefiles(
    template: dict[str, Any],
) -> None:
    resources = template["Resources"]
    for name, folder in (
        ("CoreLayer", "layers/core"),
        ("DashboardFunction", "functions/dashboard"),
    ):
        assert resources[name]["Metadata"]["BuildMethod"] == "makefile"
        makefile = (PROJECT_ROOT / folder / "Makefile").read_text()
        assert f"build-{name}:" in makefile
        assert "alpha_monday_local.layer_build" in makefile
