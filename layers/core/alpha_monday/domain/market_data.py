"""Final closes for a date: the shared cache first, then the source, one fetch per symbol.

Every final close a fetch returns is cached, so a later checkpoint or another batch usually
needs no call at all. A bar whose session was not over when it was fetched (16:00 New York
plus a margin) is never cached nor used; a bar the sanity rules refuse is never stored: for
another date it is dropped with an event, for the asked date it is an error to retry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Protocol

from alpha_monday.domain.errors import (
    MarketDataInvalidClose,
    MarketDataNotReady,
    MarketDataUnavailable,
    MarketDataUnknownSymbol,
)
from alpha_monday.domain.schedule import close_is_final
from alpha_monday.domain.splits import Split


@dataclass(frozen=True)
class DailySeries:
    """What one fetch returned: sane closes by date, and the dates refused with the reason."""

    closes: dict[date, Decimal]
    rejected: dict[date, str] = field(default_factory=dict)


class DailyCloseSource(Protocol):
    name: str
    source_id: str
    # True for a stand-in (the synthetic market): what it prices is no real market.
    offline: bool

    def daily_closes(self, symbol: str) -> DailySeries:
        """Every recent bar the source has for `symbol` (raises a MarketDataError)."""
        ...

    def splits(self, symbol: str) -> tuple[Split, ...]:
        """The symbol's split history (raises a MarketDataError)."""
        ...


class PriceCache(Protocol):
    """The shared cache of final closes, per source (reads never mix sources)."""

    def final_closes(
        self, source_id: str, symbols: list[str], trading_date: date, margin: timedelta
    ) -> dict[str, Decimal]:
        """The closes held for `trading_date` that were fetched once its session was over."""
        ...

    def store(
        self, source_id: str, symbol: str, closes: Mapping[date, Decimal], fetched_at: datetime
    ) -> None:
        """Keep final closes of `symbol` (upserted)."""
        ...

    def record_rejected(self, source_id: str, symbol: str, day: date, reason: str) -> None:
        """Leave a trace of a bar the sanity rules refused."""
        ...


class CallGate(Protocol):
    def acquire(self, symbol: str) -> int:
        """Admit one call to the source, or raise MarketDataRateLimited."""
        ...


@dataclass(frozen=True)
class SessionCloses:
    """The closes of a session date, and the symbols the source does not know (why)."""

    trading_date: date
    closes: dict[str, Decimal]
    unknown: dict[str, str] = field(default_factory=dict)


class MarketData:
    def __init__(
        self,
        cache: PriceCache,
        source: DailyCloseSource,
        limiter: CallGate,
        *,
        now: Callable[[], datetime],
        final_margin: timedelta,
    ) -> None:
        self._cache = cache
        self.source = source
        self._limiter = limiter
        self._now = now
        self._margin = final_margin

    def session_closes(self, symbols: Iterable[str], trading_date: date) -> SessionCloses:
        """Each symbol's final close on `trading_date`; a symbol the source does not know is
        listed in `unknown`, any other failure raises (it names its symbol)."""
        wanted = list(dict.fromkeys(symbols))
        found = self._cached(wanted, trading_date)
        unknown: dict[str, str] = {}
        for symbol in wanted:
            if symbol not in found:
                try:
                    found[symbol] = self._fetch(symbol, trading_date)
                except MarketDataUnknownSymbol as error:
                    unknown[symbol] = error.reason
        return SessionCloses(trading_date=trading_date, closes=found, unknown=unknown)

    def cached_session_closes(self, symbols: Iterable[str], trading_date: date) -> SessionCloses:
        """What the cache alone holds for `trading_date` (no call)."""
        return SessionCloses(
            trading_date=trading_date, closes=self._cached(list(symbols), trading_date)
        )

    def close(self, symbol: str, trading_date: date) -> Decimal:
        session = self.session_closes([symbol], trading_date)
        if symbol in session.unknown:
            raise MarketDataUnknownSymbol(symbol, session.unknown[symbol])
        return session.closes[symbol]

    def splits(self, symbol: str) -> tuple[Split, ...]:
        """The source's split history of `symbol`: one call, within the shared budget."""
        self._limiter.acquire(symbol)
        return self.source.splits(symbol)

    def _cached(self, symbols: list[str], trading_date: date) -> dict[str, Decimal]:
        return self._cache.final_closes(self.source.source_id, symbols, trading_date, self._margin)

    def _fetch(self, symbol: str, trading_date: date) -> Decimal:
        self._limiter.acquire(symbol)
        series = self.source.daily_closes(symbol)
        fetched_at = self._now()
        final = {
            day: close
            for day, close in series.closes.items()
            if close_is_final(day, fetched_at, self._margin)
        }
        self._cache.store(self.source.source_id, symbol, final, fetched_at)
        # A bad row for another date must not fail the fetch, nor vanish without a trace.
        for day, reason in sorted(series.rejected.items()):
            if day != trading_date:
                self._cache.record_rejected(self.source.source_id, symbol, day, reason)
        if trading_date in final:
            return final[trading_date]
        if trading_date in series.rejected:
            raise MarketDataInvalidClose(symbol, series.rejected[trading_date])
        return self._explain_missing(symbol, trading_date, series, fetched_at)

    def _explain_missing(
        self, symbol: str, trading_date: date, series: DailySeries, fetched_at: datetime
    ) -> Decimal:
        name = self.source.name
        if trading_date in series.closes:
            raise MarketDataNotReady(
                symbol,
                f"the {trading_date} bar was fetched at {fetched_at.isoformat()}, before that "
                f"session's close was final",
            )
        days = [*series.closes, *series.rejected]
        if not days or trading_date > max(days):
            latest = max(days).isoformat() if days else "none"
            raise MarketDataNotReady(
                symbol, f"no close for {trading_date} yet (latest is {latest})"
            )
        if trading_date < min(days):
            raise MarketDataUnavailable(
                symbol, f"{trading_date} is older than the {len(days)} sessions {name} returns"
            )
        raise MarketDataUnavailable(
            symbol, f"{name} has no close for {trading_date} (not a session?)"
        )
