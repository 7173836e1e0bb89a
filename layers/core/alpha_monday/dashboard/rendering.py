"""The pages' template environment: Jinja2 with autoescaping on every template, so a
ticker, a reason or a model name is always text, never markup; a missing variable is an
error, not an empty string."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from alpha_monday.dashboard.charts import day_label

TEMPLATES = Path(__file__).resolve().parent / "templates"


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


def day(value: date) -> str:
    return day_label(value)


@cache
def environment() -> Environment:
    """Built once per container, on first use (templates compile as they are first used)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(signed_pct=signed_pct, trend=trend, share_pct=share_pct, day=day)
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
