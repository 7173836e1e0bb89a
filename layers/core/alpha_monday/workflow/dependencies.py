"""What the workflow's steps use, made on first use: a step builds only what it touches.

One factory says how each dependency is made. Each function's entry point is given one
(`WorkflowStep.handler(DependencyFactory())` on Lambda); the local runner and the tests give
the very same factory another clock, market source or picker. A step gets one
`StepDependencies`: one connection (its unit of work) and, lazily, the market or the picker
with their own settings, but only those its handler declares (`needs`): the Checkpoint
function never reads the OpenAI key, and a step that reaches for an undeclared dependency
fails loudly instead of reading a secret its function has no right to.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, Literal
from uuid import UUID

import psycopg

from alpha_monday.business_metrics import EDGE_INVALIDATIONS_FAILED, count
from alpha_monday.db.connection import get_connection
from alpha_monday.db.published import published_change
from alpha_monday.domain.budget import check_daily_budget
from alpha_monday.domain.market_data import DailyCloseSource, MarketData
from alpha_monday.domain.picks import Picker
from alpha_monday.domain.published_paths import ChangeKind, PublishedChange, all_changed_paths
from alpha_monday.integrations.edge_cache import (
    CloudFrontEdgeCache,
    EdgeCache,
    NoEdgeCache,
    cloudfront_client,
)
from alpha_monday.integrations.providers import build_market_data, build_picker, utc_now
from alpha_monday.observability import logger
from alpha_monday.run_config import (
    ArenaSettings,
    ContenderSettings,
    EdgeSettings,
    MarketSettings,
    PickerSettings,
    arena_settings,
    edge_settings,
    market_settings,
    picker_settings,
)

# The market (its key), the models (their keys), the arena (who competes: no secret).
Need = Literal["market", "picker", "arena"]


class UndeclaredDependency(RuntimeError):
    """A step used a dependency its handler does not declare (a bug, never retried)."""


@dataclass(frozen=True)
class DependencyFactory:
    connection: Callable[[], psycopg.Connection] = get_connection
    market_settings: Callable[[], MarketSettings] = market_settings
    picker_settings: Callable[[], PickerSettings] = picker_settings
    arena_settings: Callable[[], ArenaSettings] = arena_settings
    now: Callable[[], datetime] = utc_now
    sleep: Callable[[float], None] = time.sleep
    # Replace the configured market source or pickers (the local runner's and tests'
    # doubles): `picker` for every contender, `pickers` by contender name.
    market_source: Callable[[Callable[[], datetime]], DailyCloseSource] | None = None
    picker: Picker | None = None
    pickers: Mapping[str, Picker] = field(default_factory=dict)
    # Where the published paths a step changed are invalidated (the tests' recorder).
    edge_settings: Callable[[], EdgeSettings] = edge_settings
    edge_client: Callable[[], Any] = cloudfront_client
    edge: EdgeCache | None = None

    def edge_cache(self) -> EdgeCache:
        if self.edge is not None:
            return self.edge
        distribution_id = self.edge_settings().edge_distribution_id
        if distribution_id is None:
            return NoEdgeCache()
        return CloudFrontEdgeCache(distribution_id, self.edge_client)

    def check_settings(self, needs: frozenset[Need]) -> None:
        """Read the settings a step will use, so a missing one fails with its name now."""
        if "market" in needs:
            self.market_settings()
        if "picker" in needs:
            self.picker_settings()
        if "arena" in needs:
            arena = self.arena_settings()
            if "market" in needs:
                market = self.market_settings()
                check_daily_budget(
                    len(arena.contenders),
                    control=arena.random_control,
                    daily_limit=market.alpha_vantage_daily_limit,
                    premium=market.alpha_vantage_premium,
                )

    def for_step(self, needs: frozenset[Need] = frozenset()) -> StepDependencies:
        return StepDependencies(self, needs)


class StepDependencies:
    def __init__(self, factory: DependencyFactory, needs: frozenset[Need]) -> None:
        self._factory = factory
        self._needs = needs
        self._pickers: dict[str, Picker] = {}
        self._published: list[PublishedChange] = []

    def _require(self, need: Need) -> None:
        if need not in self._needs:
            raise UndeclaredDependency(f"this step uses the {need} but does not declare it")

    @cached_property
    def conn(self) -> psycopg.Connection:
        return self._factory.connection()

    def now(self) -> datetime:
        return self._factory.now()

    @cached_property
    def market_settings(self) -> MarketSettings:
        self._require("market")
        return self._factory.market_settings()

    @cached_property
    def market(self) -> MarketData:
        factory = self._factory
        source = factory.market_source(factory.now) if factory.market_source else None
        return build_market_data(
            self.market_settings,
            lambda: self.conn,
            now=factory.now,
            sleep=factory.sleep,
            source=source,
        )

    @cached_property
    def arena(self) -> ArenaSettings:
        self._require("arena")
        return self._factory.arena_settings()

    @cached_property
    def picker_settings(self) -> PickerSettings:
        self._require("picker")
        return self._factory.picker_settings()

    def picker_for(self, contender: ContenderSettings) -> Picker:
        """The contender's model (built on first use, once per step)."""
        if contender.name not in self._pickers:
            factory = self._factory
            self._pickers[contender.name] = (
                factory.pickers.get(contender.name)
                or factory.picker
                or build_picker(self.picker_settings, contender)
            )
        return self._pickers[contender.name]

    def published(self, kind: ChangeKind, batch_id: UUID) -> None:
        """Say, once its transaction is committed, that the step changed this batch's
        published answers: the edge forgets them when the step ends."""
        self._published.append(published_change(self.conn, batch_id, kind))

    def invalidate_published(self, reference: str) -> None:
        """Invalidate the paths the step's committed writes changed. A failure is logged and
        counted (an alarm), never raised: the write stands, and the edge keeps a changing
        answer for an hour at most (its s-maxage)."""
        paths = all_changed_paths(tuple(self._published))
        self._published.clear()
        if not paths:
            return
        try:
            invalidation = self._factory.edge_cache().invalidate(paths, reference)
        except Exception as error:
            count(EDGE_INVALIDATIONS_FAILED)
            logger.error(
                "edge invalidation failed",
                extra={"paths": list(paths), "error": type(error).__name__, "reason": str(error)},
            )
            return
        logger.info("edge invalidated", extra={"paths": list(paths), "invalidation": invalidation})
