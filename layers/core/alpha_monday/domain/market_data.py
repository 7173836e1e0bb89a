"""Final closes for a date and a symbol's corporate actions: the shared cache first, then
the source.

Every final close a fetch returns is cached, so a later checkpoint or another batch usually
needs no call at all. A bar whose session was not over when it was fetched (16:00 New York
plus a margin) is never cached nor used; a bar the sanity rules refuse is never stored: for
another date it is dropped with an event, for the asked date it is an error to retry.

Corporate actions are looked up at most once per symbol and New York day (every batch
shares the look-up); a row the rules refuse is dropped with an event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Protocol

from alpha_monday.domain.corporate_actions import CorporateActions
from alpha_monday.domain.errors import (
    MarketDataError,
    MarketDataInvalidClose,
    MarketDataNotReady,
    MarketDataUnavailable,
    MarketDataUnknownSymbol,
)
from alpha_monday.domain.market_time import market_date
from alpha_monday.domain.schedule import close_is_final


@dataclass(frozen=True)
class ActionSeries:
    """What a corporate-action look-up returned: the sane actions, and the rows refused."""

    actions: CorporateActions
    rejected: tuple[str, ...] = ()


@dataclass(frozen=True)
class DailySeries:
    """What one fetch returned: sane closes by date, and the dates refused with the reason;
    with an adjusted series, the symbol's actions too (no separate look-up then)."""

    closes: dict[date, Decimal]
    rejected: dict[date, str] = field(default_factory=dict)
    actions: ActionSeries | None = None


class DailyCloseSource(Protocol):
    name: str
    source_id: str
    # True for a stand-in (the synthetic market): what it prices is no real market.
    offline: bool

    def daily_closes(self, symbol: str) -> DailySeries:
        """Every recent bar the source has for `symbol` (raises a MarketDataError)."""
        ...

    # Calls one corporate-action look-up costs (SPLITS and DIVIDENDS are two).
    calls_per_look_up: int

    def corporate_actions(self, symbol: str) -> ActionSeries:
        """The symbol's splits and dividends (raises a MarketDataError)."""
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


class ActionCache(Protocol):
    """The shared cache of corporate actions, per source, and of the day's look-ups."""

    def actions(self, source_id: str, symbol: str) -> CorporateActions: ...

    def looked_up(self, source_id: str, symbol: str, day: date) -> bool:
        """Was `symbol` looked up on New York day `day` already?"""
        ...

    def store_actions(
        self, source_id: str, symbol: str, series: ActionSeries, fetched_at: datetime
    ) -> None:
        """Keep the actions (upserted), the refused rows' traces, and the look-up itself."""
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
        action_cache: ActionCache,
        on_look_up_failed: Callable[[str, MarketDataError], None] = lambda symbol, error: None,
    ) -> None:
        self._cache = cache
        self._action_cache = action_cache
        self._on_look_up_failed = on_look_up_failed
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

    def known(self, symbol: str) -> CorporateActions:
        """The corporate actions of `symbol` already cached (no call)."""
        return self._action_cache.actions(self.source.source_id, symbol)

    def look_up(self, symbol: str) -> CorporateActions:
        """The corporate actions of `symbol`, asked of the source unless it was asked today
        already; a failed look-up is reported and leaves what is known."""
        source_id = self.source.source_id
        if not self._action_cache.looked_up(source_id, symbol, market_date(self._now())):
            try:
                for _ in range(self.source.calls_per_look_up):
                    self._limiter.acquire(symbol)
                series = self.source.corporate_actions(symbol)
            except MarketDataError as error:
                self._on_look_up_failed(symbol, error)
            else:
                self._action_cache.store_actions(source_id, symbol, series, self._now())
        return self.known(symbol)

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
        if series.actions is not None:
            self._action_cache.store_actions(
                self.source.source_id, symbol, series.actions, fetched_at
            )
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
