"""Alpha Vantage: daily closes (TIME_SERIES_DAILY, compact) and corporate actions (SPLITS
and DIVIDENDS), all on the free tier; with a premium key, TIME_SERIES_DAILY_ADJUSTED
carries each day's dividend and split coefficient in the one call instead.
 Alpha Vantage reports most errors as HTTP 200 bodies;
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
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from alpha_monday.domain.corporate_actions import ActionKind, CorporateAction, CorporateActions
from alpha_monday.domain.errors import (
    MarketDataKeyRefused,
    MarketDataPremiumOnly,
    MarketDataRateLimited,
    MarketDataUnavailable,
    MarketDataUnknownSymbol,
)
from alpha_monday.domain.market_data import ActionSeries, DailySeries
from alpha_monday.domain.prices import close_problem

BASE_URL = "https://www.alphavantage.co/query"
SERIES_KEY = "Time Series (Daily)"
CLOSE_KEY = "4. close"
DIVIDEND_KEY = "7. dividend amount"
SPLIT_COEFFICIENT_KEY = "8. split coefficient"
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


def _decimal_text(
    raw: Any, what: str, problem: Callable[[Decimal], str | None] | None = None
) -> Decimal:
    """A value sent as plain decimal text, exactly as sent, or ValueError saying why not."""
    if raw is None:
        raise ValueError(f"no {what}")
    if not isinstance(raw, str):
        raise ValueError(f"{what} {raw!r} sent as a JSON {type(raw).__name__}, not decimal text")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"{what} {raw!r} is not a number") from None
    reason = problem(value) if problem else (None if value.is_finite() else "is not finite")
    if reason is not None:
        raise ValueError(f"{what} {reason}")
    if not PLAIN_DECIMAL.fullmatch(raw):
        raise ValueError(f"{what} {raw!r} is not plain decimal text")
    return value


def _close(values: Any) -> Decimal:
    """One bar's close, exactly as sent, or ValueError saying what is wrong with it."""
    raw = values.get(CLOSE_KEY) if isinstance(values, dict) else None
    if raw is None:
        raise ValueError("no close in the bar")
    return _decimal_text(raw, "close", close_problem)


def _bars(symbol: str, payload: dict[str, Any]) -> dict[str, Any]:
    series = payload.get(SERIES_KEY)
    if not isinstance(series, dict):
        raise MarketDataUnavailable(symbol, "Alpha Vantage sent no daily series")
    if not series:
        raise MarketDataUnknownSymbol(symbol, "Alpha Vantage returned an empty series")
    return series


def _daily_series(symbol: str, series: dict[str, Any]) -> DailySeries:
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


def parse_daily_closes(
    symbol: str, status_code: int, content: bytes, api_key: str = ""
) -> DailySeries:
    """Sane closes by date from a TIME_SERIES_DAILY response, and the rows refused (why)."""
    payload = _payload(symbol, status_code, content, api_key)
    return _daily_series(symbol, _bars(symbol, payload))


def _positive(raw: Any, what: str) -> Decimal:
    def problem(value: Decimal) -> str | None:
        if not value.is_finite():
            return "is not finite"
        return None if value > 0 else f"{raw!r} is not > 0"

    return _decimal_text(raw, what, problem)


def _action_date(raw: Any, what: str) -> date:
    if raw is None or raw == "None":
        raise ValueError(f"no {what} (sent as {raw!r})")
    if not isinstance(raw, str):
        raise ValueError(f"{what} {raw!r} is not a date")
    return date.fromisoformat(raw)


def _actions(
    symbol: str,
    rows: Any,
    kind: ActionKind,
    date_key: str,
    value_key: str,
) -> tuple[list[CorporateAction], list[str]]:
    """The sane rows of a SPLITS or DIVIDENDS `data` list, and why the others were dropped."""
    if not isinstance(rows, list):
        raise MarketDataUnavailable(symbol, f"Alpha Vantage sent no {kind} data")
    actions: list[CorporateAction] = []
    rejected: list[str] = []
    for number, row in enumerate(rows):
        try:
            if not isinstance(row, dict):
                raise ValueError("the row is not an object")
            action_date = _action_date(row.get(date_key), date_key)
            actions.append(
                CorporateAction(symbol, kind, action_date, _positive(row.get(value_key), value_key))
            )
        except ValueError as error:
            rejected.append(f"{kind} row {number}: {error}")
    return actions, rejected


# Each corporate-action endpoint's row fields: (the date, the value).
ACTION_FIELDS: dict[ActionKind, tuple[str, str]] = {
    "split": ("effective_date", "split_factor"),
    "dividend": ("ex_dividend_date", "amount"),
}
ACTION_FUNCTIONS: dict[ActionKind, str] = {"split": "SPLITS", "dividend": "DIVIDENDS"}


def parse_corporate_actions(
    kind: ActionKind, symbol: str, status_code: int, content: bytes, api_key: str = ""
) -> ActionSeries:
    """The splits of a SPLITS response or the cash dividends of a DIVIDENDS response (none
    when the list is empty), and the rows dropped (why)."""
    payload = _payload(symbol, status_code, content, api_key)
    date_key, value_key = ACTION_FIELDS[kind]
    actions, rejected = _actions(symbol, payload.get("data"), kind, date_key, value_key)
    return ActionSeries(CorporateActions.of(actions), tuple(rejected))


def parse_daily_adjusted(
    symbol: str, status_code: int, content: bytes, api_key: str = ""
) -> DailySeries:
    """A TIME_SERIES_DAILY_ADJUSTED response: the unadjusted closes, and each day's dividend
    amount and split coefficient (a coefficient of 1 and an amount of 0 are no action)."""
    payload = _payload(symbol, status_code, content, api_key)
    bars = _bars(symbol, payload)
    series = _daily_series(symbol, bars)
    actions: list[CorporateAction] = []
    rejected: list[str] = []
    for day_text, values in bars.items():
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            continue
        if not isinstance(values, dict):
            continue  # already refused as a bar
        try:
            amount = _decimal_text(values.get(DIVIDEND_KEY, "0"), DIVIDEND_KEY)
            coefficient = _positive(values.get(SPLIT_COEFFICIENT_KEY, "1"), SPLIT_COEFFICIENT_KEY)
            if amount < 0:
                raise ValueError(f"{DIVIDEND_KEY} {amount} is negative")
        except ValueError as error:
            rejected.append(f"{day_text}: {error}")
            continue
        if amount > 0:
            actions.append(CorporateAction(symbol, "dividend", day, amount))
        if coefficient != 1:
            actions.append(CorporateAction(symbol, "split", day, coefficient))
    return DailySeries(
        closes=series.closes,
        rejected=series.rejected,
        actions=ActionSeries(CorporateActions.of(actions), tuple(rejected)),
    )


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
        *,
        premium: bool = False,
    ) -> None:
        self._api_key = api_key
        self._premium = premium
        # Free: SPLITS and DIVIDENDS; premium: the adjusted series carries both.
        self.calls_per_look_up = 1 if premium else 2
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
        if self._premium:
            return self._daily_adjusted(symbol)
        response = self._get(symbol, {"function": "TIME_SERIES_DAILY", "outputsize": "compact"})
        return parse_daily_closes(symbol, response.status_code, response.content, self._api_key)

    def corporate_actions(self, symbol: str) -> ActionSeries:
        if self._premium:
            return self._daily_adjusted(symbol).actions or ActionSeries(CorporateActions())
        found = CorporateActions()
        rejected: tuple[str, ...] = ()
        for kind, function in ACTION_FUNCTIONS.items():
            response = self._get(symbol, {"function": function})
            series = parse_corporate_actions(
                kind, symbol, response.status_code, response.content, self._api_key
            )
            found, rejected = found.merged(series.actions), rejected + series.rejected
        return ActionSeries(found, rejected)

    def _daily_adjusted(self, symbol: str) -> DailySeries:
        response = self._get(
            symbol, {"function": "TIME_SERIES_DAILY_ADJUSTED", "outputsize": "compact"}
        )
        return parse_daily_adjusted(symbol, response.status_code, response.content, self._api_key)
