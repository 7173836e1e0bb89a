"""The workflow's providers, built once per warm container from the typed settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from alpha_monday.config import ProviderSettings, provider_settings
from alpha_monday.db.connection import get_connection
from alpha_monday.domain.market_data import MarketData
from alpha_monday.domain.picks import Picker
from alpha_monday.integrations.providers import build_market_data, build_picker


@dataclass(frozen=True)
class WorkflowDependencies:
    settings: ProviderSettings
    market: MarketData
    picker: Picker


_current: WorkflowDependencies | None = None


def dependencies() -> WorkflowDependencies:
    global _current  # noqa: PLW0603 - one set of providers per warm container
    if _current is None:
        settings = provider_settings()
        _current = WorkflowDependencies(
            settings=settings,
            market=build_market_data(settings, get_connection),
            picker=build_picker(settings),
        )
    return _current


@contextmanager
def using_dependencies(replacement: WorkflowDependencies) -> Iterator[None]:
    """Run the workflow with other providers (the local runner's fakes, tests' failures)."""
    global _current  # noqa: PLW0603
    previous, _current = _current, replacement
    try:
        yield
    finally:
        _current = previous
