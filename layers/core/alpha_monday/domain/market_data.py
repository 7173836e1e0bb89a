"""Closes for a date: the shared cache first, then the source, at most one fetch per symbol.

Every close a fetch returns is cached, so a later checkpoint or another batch usually
needs no call at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Protocol

import psycopg

from alpha_monday.db.prices import cached_closes, store_closes
from alpha_monday.errors import MarketDataNotReady, MarketDataUnavailable


class DailyCloseSource(Protocol):
    name: str

    def daily_closes(self, symbol: str) -> dict[date, Decimal]:
        """Every close the source has for `symbol` (raises a MarketDataError)."""
        ...


class CallGate(Protocol):
    def acquire(self, symbol: str) -> int:
        """Admit one call to the source, or raise MarketDataRateLimited."""
        ...


class MarketData:
    def __init__(
        self,
        connection: Callable[[], psycopg.Connection],
        source: DailyCloseSource,
        limiter: CallGate,
    ) -> None:
        self._connection = connection
        self.source = source
        self._limiter = limiter

    def closes(self, symbols: Iterable[str], trading_date: date) -> dict[str, Decimal]:
        """The close of each symbol on `trading_date`; the first failure names its symbol."""
        wanted = list(dict.fromkeys(symbols))
        found = cached_closes(self._connection(), wanted, trading_date)
        for symbol in wanted:
            if symbol not in found:
                found[symbol] = self._fetch(symbol, trading_date)
        return {symbol: found[symbol] for symbol in wanted}

    def close(self, symbol: str, trading_date: date) -> Decimal:
        return self.closes([symbol], trading_date)[symbol]

    def _fetch(self, symbol: str, trading_date: date) -> Decimal:
        self._limiter.acquire(symbol)
        series = self.source.daily_closes(symbol)
        store_closes(self._connection(), symbol, series)
        if trading_date in series:
            return series[trading_date]
        if trading_date < min(series):
            raise MarketDataUnavailable(
                symbol,
                f"{trading_date} is older than the {len(series)} sessions "
                f"{self.source.name} returns",
            )
        if trading_date > max(series):
            raise MarketDataNotReady(
                symbol, f"no close for {trading_date} yet (latest is {max(series)})"
            )
        raise MarketDataUnavailable(
            symbol, f"{self.source.name} has no close for {trading_date} (not a session?)"
        )
