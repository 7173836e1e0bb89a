"""The domain is the bottom floor: it imports the standard library, pydantic, the NYSE
holiday table and its own modules, and nothing of the adapters or the entry points."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import alpha_monday.domain

DOMAIN_DIR = Path(alpha_monday.domain.__file__).parent
# `holidays` is data (the NYSE calendar's observed holidays), no I/O: see docs/decisions.md.
ALLOWED_PACKAGES = {"pydantic", "holidays"}
FORBIDDEN = (
    "psycopg",
    "httpx",
    "openai",
    "boto3",
    "botocore",
    "aws_lambda_powertools",
    "jinja2",
    "jinja2",
    "alpha_monday.db",
    "alpha_monday.integrations",
    "alpha_monday.workflow",
    "alpha_monday.api",
    "alpha_monday.dashboard",
    "alpha_monday.config",
    "alpha_monday.observability",
    "alpha_monday.business_metrics",
)


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_every_domain_module_imports_only_the_standard_library_pydantic_and_itself() -> None:
    modules = sorted(DOMAIN_DIR.glob("*.py"))
    assert len(modules) > 10  # the rules are all here
    for path in modules:
        for name in _imports(path):
            top = name.split(".")[0]
            allowed = (
                top in sys.stdlib_module_names
                or top in ALLOWED_PACKAGES
                or name == "alpha_monday.domain"
                or name.startswith("alpha_monday.domain.")
            )
            assert allowed, f"{path.name} imports {name}"


def test_importing_the_whole_domain_loads_no_adapter_even_indirectly() -> None:
    # In a fresh interpreter, every domain module imported: what came along?
    names = [
        f"alpha_monday.domain.{p.stem}" for p in DOMAIN_DIR.glob("*.py") if p.stem != "__init__"
    ]
    probe = (
        "import importlib, json, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    loaded = json.loads(
        subprocess.run(
            [sys.executable, "-c", probe], check=True, capture_output=True, text=True
        ).stdout
    )
    for module in loaded:
        assert not module.startswith(FORBIDDEN), f"importing the domain loads {module}"
