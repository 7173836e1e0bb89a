"""Chooses the real providers, or the offline ones (loudly) when a key is missing locally."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache

import psycopg

from alpha_monday.db.corporate_actions import PostgresActionCache
from alpha_monday.db.prices import PostgresPriceCache
from alpha_monday.domain.errors import MarketDataError
from alpha_monday.domain.market_data import DailyCloseSource, MarketData
from alpha_monday.domain.picks import Picker
from alpha_monday.integrations.alpha_vantage import PROVIDER, AlphaVantageSource
from alpha_monday.integrations.offline import ScriptedPicker, SyntheticMarket
from alpha_monday.integrations.openai_picker import OpenAIPicker
from alpha_monday.integrations.rate_limit import CallLimiter
from alpha_monday.observability import logger
from alpha_monday.run_config import ContenderSettings, MarketSettings, PickerSettings

BANNER = "=" * 78


@cache
def announce_offline(what: str, missing_setting: str) -> None:
    """Offline providers are never silent: every run (process) says so on stderr, once."""
    sys.stderr.write(
        f"{BANNER}\nOFFLINE: {missing_setting} is not set, so {what} stands in.\n"
        f"Nothing this run records is real market data or a real model's opinion.\n{BANNER}\n"
    )
    sys.stderr.flush()


def utc_now() -> datetime:
    return datetime.now(UTC)


def build_market_data(
    settings: MarketSettings,
    connection: Callable[[], psycopg.Connection],
    *,
    now: Callable[[], datetime] = utc_now,
    sleep: Callable[[float], None] = time.sleep,
    source: DailyCloseSource | None = None,
) -> MarketData:
    """Alpha Vantage (or the synthetic market, or `source`), within the shared daily budget.

    `now` and `sleep` let the local runner play a fortnight on a simulated clock.
    """
    limiter = CallLimiter(
        connection,
        PROVIDER,
        settings.alpha_vantage_daily_limit,
        settings.alpha_vantage_min_interval_seconds,
        sleep=sleep,
        today=lambda: now().astimezone(UTC).date(),
    )
    if source is None:
        source = _configured_source(settings, now)
    return MarketData(
        PostgresPriceCache(connection),
        source,
        limiter,
        now=now,
        final_margin=settings.final_close_margin,
        action_cache=PostgresActionCache(connection),
        on_look_up_failed=_look_up_failed,
    )


def _look_up_failed(symbol: str, error: MarketDataError) -> None:
    # The move stays held (healable) and the next day looks again: a warning, not a failure.
    logger.warning(
        "corporate actions unavailable",
        extra={"ticker": symbol, "error": type(error).__name__, "reason": error.reason},
    )


def _configured_source(settings: MarketSettings, now: Callable[[], datetime]) -> DailyCloseSource:
    if settings.alpha_vantage_api_key is None:
        announce_offline("a synthetic market (seeded random walks)", "ALPHA_VANTAGE_API_KEY")
        return SyntheticMarket(now=now, premium=settings.alpha_vantage_premium)
    return AlphaVantageSource(
        settings.alpha_vantage_api_key.reveal(),
        settings.alpha_vantage_timeout_seconds,
        base_url=settings.alpha_vantage_base_url,
        premium=settings.alpha_vantage_premium,
    )


def build_picker(settings: PickerSettings, contender: ContenderSettings) -> Picker:
    """The contender's model, or (its key missing locally) a scripted picker of its own:
    the first contender's scripted picks are those a one-model run has always made."""
    key = settings.api_key(contender)
    if key is None:
        announce_offline(f"a scripted picker for {contender.name}", contender.api_key_setting)
        first = contender == settings.arena.contenders[0]
        return ScriptedPicker(variant="" if first else contender.name)
    return OpenAIPicker(
        key.reveal(),
        contender.model,
        timeout_seconds=settings.openai_timeout_seconds,
        max_retries=settings.openai_max_retries,
        max_reasks=settings.picker_max_reasks,
        base_url=contender.base_url,
    )
