"""The pages' template environment: Jinja2 with autoescaping on every template, so a
ticker, a reason or a model name is always text, never markup; a missing variable is an
error, not an empty string."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, Environment, FileSystemLoader, ModuleLoader, StrictUndefined

from alpha_monday.dashboard.charts import day_label
from alpha_monday.db.open_data import OPEN_TABLES

TEMPLATES = Path(__file__).resolve().parent / "templates"
# What the layer build compiles the templates to (Python modules, with their bytecode): a
# cold start imports them instead of parsing and compiling every template (~50 ms).
COMPILED_TEMPLATES = Path(__file__).resolve().parent / "compiled_templates"


def signed_pct(value: Decimal | None, places: int = 2) -> str:
    """+1.23 %, or n/a; the thin space keeps the number and its unit together."""
    return "n/a" if value is None else f"{value:+.{places}f}\u202f%"


def trend(value: Decimal | None) -> str:
    """The CSS class of a signed number: up, down or nothing."""
    if value is None or value == 0:
        return ""
    return "up" if value > 0 else "down"


def share_pct(value: Decimal | None) -> str:
    return "n/a" if value is None else f"{value * 100:.0f}\u202f%"


def _environment(loader: BaseLoader) -> Environment:
    env = Environment(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(signed_pct=signed_pct, trend=trend, share_pct=share_pct, day=day_label)
    # Every page's footer links each open table.
    env.globals.update(open_tables=tuple(OPEN_TABLES))
    return env


@cache
def environment() -> Environment:
    """Built once per container, on first use: the compiled templates where the layer has
    them, else the templates themselves (compiled as they are first used)."""
    if COMPILED_TEMPLATES.is_dir():
        return _environment(ModuleLoader(str(COMPILED_TEMPLATES)))
    return _environment(FileSystemLoader(TEMPLATES))


def compile_templates(target: Path) -> None:
    """Every template as a Python module in `target` (the layer build calls this)."""
    _environment(FileSystemLoader(TEMPLATES)).compile_templates(
        str(target), zip=None, ignore_errors=False
    )


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
