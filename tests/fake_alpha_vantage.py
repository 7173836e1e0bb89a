"""A local HTTP server that imitates Alpha Vantage: the real client talks real HTTP to it.

Like the real service, TIME_SERIES_DAILY serves a bar for today while the session is open
(its close is the latest trade, not the day's close) and only sessions up to today; SPLITS
and DIVIDENDS answer `{"symbol", "data": [...]}` with their documented row fields, and
TIME_SERIES_DAILY_ADJUSTED carries each bar's dividend amount and split coefficient.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlparse

from alpha_monday.domain.market_time import market_date, market_instant_utc
from tests.fakes import daily_series_payload
from tests.local_http import JsonHandler, serving_on_localhost

INTRADAY_DISCOUNT = Decimal("1.11")


@dataclass
class FakeAlphaVantage:
    closes: dict[str, dict[date, str]]
    now: Callable[[], datetime]
    # SPLITS rows ({"effective_date", "split_factor"}) and DIVIDENDS rows
    # ({"ex_dividend_date", "declaration_date", "record_date", "payment_date", "amount"}).
    splits: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    dividends: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    # Raw bodies served, in order, before the normal answer (per symbol).
    scripted: dict[str, list[bytes]] = field(default_factory=dict)
    # Answers a request itself when it returns a body: (query, that symbol's earlier requests).
    interceptor: Callable[[dict[str, str], int], bytes | None] | None = None
    requests: list[dict[str, str]] = field(default_factory=list)
    url: str = ""

    def _series(self, symbol: str) -> dict[str, Any]:
        now = self.now()
        today = market_date(now)
        bars = {}
        for day, close in self.closes[symbol].items():
            if day > today:
                continue
            session_open = day == today and now < market_instant_utc(today, time(16, 0))
            # While the session is open the bar's "close" is the last trade so far.
            bars[day] = str(Decimal(close) - INTRADAY_DISCOUNT) if session_open else close
        return daily_series_payload(symbol, bars)

    def answer(self, params: dict[str, str]) -> bytes:
        symbol = params.get("symbol", "")
        earlier = sum(1 for request in self.requests if request.get("symbol") == symbol)
        self.requests.append(params)
        if self.interceptor is not None and (body := self.interceptor(params, earlier)):
            return body
        if self.scripted.get(symbol):
            return self.scripted[symbol].pop(0)
        if symbol not in self.closes:
            return json.dumps({"Error Message": "Invalid API call."}).encode()
        bodies: dict[str | None, Callable[[], dict[str, Any]]] = {
            "SPLITS": lambda: {"symbol": symbol, "data": self.splits.get(symbol, [])},
            "DIVIDENDS": lambda: {"symbol": symbol, "data": self.dividends.get(symbol, [])},
            "TIME_SERIES_DAILY_ADJUSTED": lambda: self._adjusted(symbol),
        }
        body = bodies.get(params.get("function"), lambda: self._series(symbol))
        return json.dumps(body()).encode()

    def _adjusted(self, symbol: str) -> dict[str, Any]:
        payload = self._series(symbol)
        splits = {r["effective_date"]: r["split_factor"] for r in self.splits.get(symbol, [])}
        paid = {r["ex_dividend_date"]: r["amount"] for r in self.dividends.get(symbol, [])}
        for day, bar in payload["Time Series (Daily)"].items():
            bar["5. adjusted close"] = bar["4. close"]
            bar["7. dividend amount"] = paid.get(day, "0.0000")
            bar["8. split coefficient"] = splits.get(day, "1.0")
        return payload

    def calls(self, function: str = "TIME_SERIES_DAILY") -> list[str]:
        return [r["symbol"] for r in self.requests if r.get("function") == function]


@contextmanager
def serving(fake: FakeAlphaVantage) -> Iterator[FakeAlphaVantage]:
    class Handler(JsonHandler):
        def do_GET(self) -> None:
            query = parse_qs(urlparse(self.path).query)
            self.send_json(fake.answer({key: values[0] for key, values in query.items()}))

    with serving_on_localhost(Handler) as base_url:
        fake.url = f"{base_url}/query"
        yield fake
