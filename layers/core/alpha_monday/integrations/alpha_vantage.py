"""Alpha Vantage: daily closes (TIME_SERIES_DAILY, compact) and split history (SPLITS).

Both endpoints are on the free tier. Alpha Vantage reports most errors as HTTP 200 bodies;
each maps to a named error here. A close is taken exactly as sent (decimal text) and only
if it is a sane price: a bad row is reported, never stored.

The API key travels in the query string, so it is kept out of sight three ways: it is
added below the client, by the transport, so the URL httpx logs (at INFO, or DEBUG with
`OPENAI_LOG=debug`) and keeps on its request never holds it; no httpx error message is
passed on (messages are built from the symbol and the reason); and the provider's own
texts, whose rate-limit notice quotes the caller's key, are redacted before they reach an
exception, a log line or a row.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from alpha_monday.domain.errors import (
    MarketDataKeyRefused,
    MarketDataPremiumOnly,
    MarketDataRateLimited,
    MarketDataUnavailable,
    MarketDataUnknownSymbol,
)
from alpha_monday.domain.market_data import DailySeries
from alpha_monday.domain.prices import close_problem
from alpha_monday.domain.splits import Split

BASE_URL = "https://www.alphavantage.co/query"
SERIES_KEY = "Time Series (Daily)"
CLOSE_KEY = "4. close"
PROVIDER = "alpha_vantage"
RATE_LIMIT_WORDS = ("rate limit", "requests per day", "call frequency", "per minute")
PLAIN_DECIMAL = re.compile(r"\d{1,12}(\.\d{1,12})?")

REDACTED = "[redacted]"
# "We have detected your API key as XXXX and ...": a key quoted by the provider; the words
# of "the parameter apikey is invalid or missing" are not a key.
QUOTED_KEY = re.compile(
    r"(?i)(api ?key(?:\s+(?:as|is))?\s*[:=]?\s*)"
    r"(?!(?:invalid|missing|not|required|incorrect|expired|revoked)\b)[A-Za-z0-9_\-]{4,}"
)
# An `Error Message` about the key, not the symbol: "the parameter apikey is invalid or
# missing", "Invalid API key".
KEY_REFUSED = re.compile(r"(?i)\bapi ?key\b.*\b(invalid|missing)\b|\binvalid api ?key\b")


def redacted(text: str, api_key: str) -> str:
    """A provider's text with the caller's key (and any key it quotes) blanked out."""
    if api_key:
        text = text.replace(api_key, REDACTED)
    return QUOTED_KEY.sub(rf"\g<1>{REDACTED}", text)


class _Object(dict[str, Any]):
    """A JSON object that remembers which of its keys were sent more than once."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        counts = Counter(key for key, _ in pairs)
        self.duplicates = {key for key, count in counts.items() if count > 1}


def _payload(symbol: str, status_code: int, content: bytes, api_key: str) -> dict[str, Any]:
    """The JSON body, or the named error an HTTP status or an error body stands for."""
    if status_code == httpx.codes.TOO_MANY_REQUESTS:
        raise MarketDataRateLimited(symbol, "HTTP 429 from Alpha Vantage")
    if status_code != httpx.codes.OK:
        raise MarketDataUnavailable(symbol, f"HTTP {status_code} from Alpha Vantage")
    try:
        payload: Any = json.loads(content, object_pairs_hook=_Object)
    except ValueError:
        raise MarketDataUnavailable(symbol, "Alpha Vantage sent malformed JSON") from None
    if not isinstance(payload, dict) or not payload:
        raise MarketDataUnavailable(symbol, "Alpha Vantage sent an empty payload")
    if "Error Message" in payload:
        message = redacted(str(payload["Error Message"]), api_key)
        if KEY_REFUSED.search(message):
            raise MarketDataKeyRefused(symbol, f"Alpha Vantage refused the API key: {message}")
        raise MarketDataUnknownSymbol(symbol, f"Alpha Vantage: {message}")
    if "Information" in payload or "Note" in payload:
        message = redacted(str(payload.get("Information") or payload.get("Note")), api_key)
        lowered = message.lower()
        # The rate-limit notice also advertises premium plans: test for it first.
        if "premium" in lowered and not any(word in lowered for word in RATE_LIMIT_WORDS):
            raise MarketDataPremiumOnly(symbol, f"Alpha Vantage: {message}")
        raise MarketDataRateLimited(symbol, f"Alpha Vantage: {message}")
    return payload


def _close(values: Any) -> Decimal:
    """One bar's close, exactly as sent, or ValueError saying what is wrong with it."""
    raw = values.get(CLOSE_KEY) if isinstance(values, dict) else None
    if raw is None:
        raise ValueError("no close in the bar")
    if not isinstance(raw, str):
        raise ValueError(f"close {raw!r} sent as a JSON {type(raw).__name__}, not decimal text")
    try:
        close = Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"close {raw!r} is not a number") from None
    problem = close_problem(close)
    if problem is not None:
        raise ValueError(f"close {problem}")
    if not PLAIN_DECIMAL.fullmatch(raw):
        raise ValueError(f"close {raw!r} is not plain decimal text")
    return close


def parse_daily_closes(
    symbol: str, status_code: int, content: bytes, api_key: str = ""
) -> DailySeries:
    """Sane closes by date from a TIME_SERIES_DAILY response, and the rows refused (why)."""
    payload = _payload(symbol, status_code, content, api_key)
    series = payload.get(SERIES_KEY)
    if not isinstance(series, dict):
        raise MarketDataUnavailable(symbol, "Alpha Vantage sent no daily series")
    if not series:
        raise MarketDataUnknownSymbol(symbol, "Alpha Vantage returned an empty series")
    closes: dict[date, Decimal] = {}
    rejected: dict[date, str] = {}
    for day_text, values in series.items():
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            continue  # not a date: nothing can be asked for it
        try:
            if day_text in getattr(series, "duplicates", ()):
                raise ValueError("the date is sent more than once")
            closes[day] = _close(values)
        except ValueError as error:
            rejected[day] = str(error)
    if not closes and not rejected:
        raise MarketDataUnavailable(symbol, "Alpha Vantage sent no dated bars")
    return DailySeries(closes=closes, rejected=rejected)


def parse_splits(
    symbol: str, status_code: int, content: bytes, api_key: str = ""
) -> tuple[Split, ...]:
    """The split history of a SPLITS response (an empty list when there was none)."""
    payload = _payload(symbol, status_code, content, api_key)
    rows = payload.get("data")
    if not isinstance(rows, list):
        raise MarketDataUnavailable(symbol, "Alpha Vantage sent no split data")
    try:
        splits = tuple(
            Split(
                effective_date=date.fromisoformat(row["effective_date"]),
                factor=Decimal(row["split_factor"]),
            )
            for row in rows
        )
    except (KeyError, TypeError, ValueError, InvalidOperation):
        raise MarketDataUnavailable(symbol, "Alpha Vantage sent a malformed split") from None
    if any(not split.factor.is_finite() or split.factor <= 0 for split in splits):
        raise MarketDataUnavailable(symbol, "Alpha Vantage sent a split factor that is not > 0")
    return splits


class _ApiKeyTransport(httpx.BaseTransport):
    """Adds the key to the request it sends, not to the client's request (which httpx logs)."""

    def __init__(self, api_key: str, inner: httpx.BaseTransport) -> None:
        self._api_key = api_key
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        keyed = httpx.Request(
            request.method,
            request.url.copy_add_param("apikey", self._api_key),
            headers=request.headers,
            stream=request.stream,
            extensions=request.extensions,
        )
        return self._inner.handle_request(keyed)

    def close(self) -> None:
        self._inner.close()


class AlphaVantageSource:
    """Alpha Vantage over HTTP (the caller keeps calls within the rate limits)."""

    name = "Alpha Vantage"
    source_id = PROVIDER
    offline = False

    def __init__(
        self,
        api_key: str,
        timeout_seconds: float,
        transport: httpx.BaseTransport | None = None,
        base_url: str = BASE_URL,
    ) -> None:
        self._api_key = api_key
        self._base_url = base_url
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout_seconds, connect=min(timeout_seconds, 5.0)),
            transport=_ApiKeyTransport(api_key, transport or httpx.HTTPTransport()),
        )

    def _get(self, symbol: str, params: dict[str, str]) -> httpx.Response:
        try:
            return self._client.get(self._base_url, params={**params, "symbol": symbol})
        except httpx.TimeoutException:
            raise MarketDataUnavailable(symbol, "Alpha Vantage timed out") from None
        except httpx.HTTPError as error:
            reason = f"Alpha Vantage unreachable ({type(error).__name__})"
            raise MarketDataUnavailable(symbol, reason) from None

    def daily_closes(self, symbol: str) -> DailySeries:
        response = self._get(symbol, {"function": "TIME_SERIES_DAILY", "outputsize": "compact"})
        return parse_daily_closes(symbol, response.status_code, response.content, self._api_key)

    def splits(self, symbol: str) -> tuple[Split, ...]:
        response = self._get(symbol, {"function": "SPLITS"})
        return parse_splits(symbol, response.status_code, response.content, self._api_key)
