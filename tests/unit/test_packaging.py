"""The layer's requirements and the project's dependencies stay the same list."""

from __future__ import annotations

import tomllib

from alpha_monday_local.paths import PROJECT_ROOT


def test_layer_requirements_match_project_runtime_dependencies() -> None:
    # Given the layer's requirements.txt and pyproject's dependencies
    requirements = {
        line.strip()
        for line in (PROJECT_ROOT / "layers/core/requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    # Then they agree, except boto3 which the Lambda runtime provides
    dependencies = {d for d in project["dependencies"] if not d.startswith("boto3")}
    assert requirements == dependencies
