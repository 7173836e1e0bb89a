"""What the workflow's steps use, made on first use: a step builds only what it touches.

One factory says how each dependency is made. On Lambda it is the default one; the local
runner and the tests use the very same factory with another clock, market source or picker.
A step gets one `StepDependencies`: one connection (its unit of work) and, lazily, the
market or the picker with their own settings (the Checkpoint function never reads the
OpenAI key).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

import psycopg

from alpha_monday.config import MarketSettings, PickerSettings, market_settings, picker_settings
from alpha_monday.db.connection import get_connection
from alpha_monday.domain.market_data import DailyCloseSource, MarketData
from alpha_monday.domain.picks import Picker
from alpha_monday.integrations.providers import build_market_data, build_picker, utc_now


@dataclass(frozen=True)
class DependencyFactory:
    connection: Callable[[], psycopg.Connection] = get_connection
    market_settings: Callable[[], MarketSettings] = market_settings
    picker_settings: Callable[[], PickerSettings] = picker_settings
    now: Callable[[], datetime] = utc_now
    sleep: Callable[[float], None] = time.sleep
    # Replace the configured market source or picker (the local runner's and tests' doubles).
    market_source: Callable[[Callable[[], datetime]], DailyCloseSource] | None = None
    picker: Picker | None = None
    built: list[str] = field(default_factory=list, compare=False)

    def for_step(self) -> StepDependencies:
        return StepDependencies(self)


class StepDependencies:
    def __init__(self, factory: DependencyFactory) -> None:
        self._factory = factory

    @cached_property
    def conn(self) -> psycopg.Connection:
        return self._factory.connection()

    def now(self) -> datetime:
        return self._factory.now()

    @cached_property
    def market_settings(self) -> MarketSettings:
        return self._factory.market_settings()

    @cached_property
    def market(self) -> MarketData:
        factory = self._factory
        factory.built.append("market")
        source = factory.market_source(factory.now) if factory.market_source else None
        return build_market_data(
            self.market_settings,
            lambda: self.conn,
            now=factory.now,
            sleep=factory.sleep,
            source=source,
        )

    @cached_property
    def picker(self) -> Picker:
        self._factory.built.append("picker")
        return self._factory.picker or build_picker(self._factory.picker_settings())


_factory = DependencyFactory()


def step_dependencies() -> StepDependencies:
    return _factory.for_step()


@contextmanager
def using_factory(replacement: DependencyFactory) -> Iterator[DependencyFactory]:
    """Run the workflow with other dependencies (the local runner, the tests)."""
    global _factory  # noqa: PLW0603 - the process's one factory
    previous, _factory = _factory, replacement
    try:
        yield replacement
    finally:
        _factory = previous
