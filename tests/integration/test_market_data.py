"""Closes through the shared cache: one fetch per symbol, no call when the cache answers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import psycopg
import pytest

from alpha_monday.db.call_budget import calls_per_day
from alpha_monday.db.connection import get_connection
from alpha_monday.db.prices import cached_closes
from alpha_monday.domain.market_data import MarketData
from alpha_monday.errors import (
    MarketDataNotReady,
    MarketDataRateLimited,
    MarketDataUnavailable,
    MarketDataUnknownSymbol,
)
from alpha_monday.integrations.rate_limit import CallLimiter
from tests.fakes import FakeSource

FRIDAY = date(2026, 11, 20)
THURSDAY = date(2026, 11, 19)
BUDGET_DAY = date(2026, 11, 23)
SERIES = {
    "SPY": {THURSDAY: Decimal("660.10"), FRIDAY: Decimal("662.50")},
    "AAPL": {THURSDAY: Decimal("266.25"), FRIDAY: Decimal("268.56")},
    "MSFT": {THURSDAY: Decimal("480.00"), FRIDAY: Decimal("478.40")},
}


def _market(source: FakeSource, daily_limit: int = 25) -> MarketData:
    limiter = CallLimiter(
        get_connection, "test", daily_limit, 0, sleep=lambda _: None, today=lambda: BUDGET_DAY
    )
    return MarketData(get_connection, source, limiter)


def test_first_read_fetches_each_symbol_once_and_caches_every_close(
    database_url: str, conn: psycopg.Connection
) -> None:
    # Given an empty cache
    source = FakeSource(SERIES)
    # When three symbols (one repeated) are read for Friday
    closes = _market(source).closes(["SPY", "AAPL", "MSFT", "AAPL"], FRIDAY)
    # Then each symbol was fetched once, and every close of the series is now cached
    assert closes == {
        "SPY": Decimal("662.50"),
        "AAPL": Decimal("268.56"),
        "MSFT": Decimal("478.40"),
    }
    assert sorted(source.calls) == ["AAPL", "MSFT", "SPY"]
    assert cached_closes(conn, ["AAPL"], THURSDAY) == {"AAPL": Decimal("266.25")}
    assert calls_per_day(conn, "test") == {BUDGET_DAY: 3}


def test_a_read_the_cache_answers_makes_no_call(database_url: str) -> None:
    # Given Friday's closes were read once
    source = FakeSource(SERIES)
    _market(source).closes(["SPY", "AAPL"], FRIDAY)
    source.calls.clear()
    # When the same and an earlier cached date are read again
    market = _market(source)
    market.closes(["SPY", "AAPL"], FRIDAY)
    assert market.close("SPY", THURSDAY) == Decimal("660.10")
    # Then the source was not called
    assert source.calls == []


def test_a_close_not_published_yet_is_not_ready(database_url: str) -> None:
    with pytest.raises(MarketDataNotReady, match=r"^AAPL: no close for 2026-11-23 yet"):
        _market(FakeSource(SERIES)).close("AAPL", date(2026, 11, 23))


def test_a_date_older_than_the_series_is_unavailable(database_url: str) -> None:
    with pytest.raises(MarketDataUnavailable, match="older than the 2 sessions"):
        _market(FakeSource(SERIES)).close("AAPL", date(2026, 1, 2))


def test_the_failing_symbol_is_named(database_url: str) -> None:
    with pytest.raises(MarketDataUnknownSymbol) as raised:
        _market(FakeSource(SERIES)).closes(["SPY", "NOPE"], FRIDAY)
    assert raised.value.symbol == "NOPE"


def test_a_spent_budget_raises_rate_limited_without_calling(database_url: str) -> None:
    # Given a daily budget of 2 calls
    source = FakeSource(SERIES)
    market = _market(source, daily_limit=2)
    market.closes(["SPY", "AAPL"], FRIDAY)
    # When a third symbol needs a call
    with pytest.raises(MarketDataRateLimited, match="daily budget of 2 test calls is spent"):
        market.close("MSFT", FRIDAY)
    # Then the source was never asked for it
    assert "MSFT" not in source.calls
