"""Alpha Vantage daily closes (TIME_SERIES_DAILY, compact: the latest 100 sessions).

Alpha Vantage reports most errors as HTTP 200 bodies; each maps to a named error here.
The API key travels in the query string, so neither a URL nor an httpx error message is
ever logged or put in an exception: messages are built from the symbol and the reason.
"""

from __future__ import annotations

import json
import logging
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from alpha_monday.errors import (
    MarketDataPremiumOnly,
    MarketDataRateLimited,
    MarketDataUnavailable,
    MarketDataUnknownSymbol,
)

BASE_URL = "https://www.alphavantage.co/query"
SERIES_KEY = "Time Series (Daily)"
CLOSE_KEY = "4. close"
PROVIDER = "alpha_vantage"
RATE_LIMIT_WORDS = ("rate limit", "requests per day", "call frequency", "per minute")

# httpx logs every request URL at INFO, and Alpha Vantage URLs carry the API key.
logging.getLogger("httpx").setLevel(logging.WARNING)


def parse_daily_closes(symbol: str, status_code: int, content: bytes) -> dict[date, Decimal]:
    """Closes by date from a TIME_SERIES_DAILY response, or the named error it stands for."""
    if status_code == httpx.codes.TOO_MANY_REQUESTS:
        raise MarketDataRateLimited(symbol, "HTTP 429 from Alpha Vantage")
    if status_code != httpx.codes.OK:
        raise MarketDataUnavailable(symbol, f"HTTP {status_code} from Alpha Vantage")
    try:
        payload: Any = json.loads(content)
    except ValueError:
        raise MarketDataUnavailable(symbol, "Alpha Vantage sent malformed JSON") from None
    if not isinstance(payload, dict) or not payload:
        raise MarketDataUnavailable(symbol, "Alpha Vantage sent an empty payload")
    if "Error Message" in payload:
        raise MarketDataUnknownSymbol(symbol, f"Alpha Vantage: {payload['Error Message']}")
    if "Information" in payload or "Note" in payload:
        message = str(payload.get("Information") or payload.get("Note"))
        lowered = message.lower()
        # The rate-limit notice also advertises premium plans: test for it first.
        if "premium" in lowered and not any(word in lowered for word in RATE_LIMIT_WORDS):
            raise MarketDataPremiumOnly(symbol, f"Alpha Vantage: {message}")
        raise MarketDataRateLimited(symbol, f"Alpha Vantage: {message}")
    series = payload.get(SERIES_KEY)
    if not isinstance(series, dict):
        raise MarketDataUnavailable(symbol, "Alpha Vantage sent no daily series")
    if not series:
        raise MarketDataUnknownSymbol(symbol, "Alpha Vantage returned an empty series")
    try:
        return {
            date.fromisoformat(day): Decimal(values[CLOSE_KEY]) for day, values in series.items()
        }
    except (KeyError, TypeError, ValueError, InvalidOperation):
        raise MarketDataUnavailable(symbol, "Alpha Vantage sent a malformed close") from None


class AlphaVantageSource:
    """Daily closes from Alpha Vantage (the caller keeps calls within the rate limits)."""

    name = "Alpha Vantage"

    def __init__(
        self,
        api_key: str,
        timeout_seconds: float,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._api_key = api_key
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout_seconds, connect=min(timeout_seconds, 5.0)),
            transport=transport,
        )

    def daily_closes(self, symbol: str) -> dict[date, Decimal]:
        params = {
            "function": "TIME_SERIES_DAILY",
            "symbol": symbol,
            "outputsize": "compact",
            "apikey": self._api_key,
        }
        try:
            response = self._client.get(BASE_URL, params=params)
        except httpx.TimeoutException:
            raise MarketDataUnavailable(symbol, "Alpha Vantage timed out") from None
        except httpx.HTTPError as error:
            reason = f"Alpha Vantage unreachable ({type(error).__name__})"
            raise MarketDataUnavailable(symbol, reason) from None
        return parse_daily_closes(symbol, response.status_code, response.content)
