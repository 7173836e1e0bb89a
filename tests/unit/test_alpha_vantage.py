"""Every Alpha Vantage answer maps to closes or to its named error; no call reaches the network."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import httpx
import pytest

from alpha_monday.domain.errors import (
    MarketDataError,
    MarketDataKeyRefused,
    MarketDataPremiumOnly,
    MarketDataRateLimited,
    MarketDataUnavailable,
    MarketDataUnknownSymbol,
)
from alpha_monday.integrations.alpha_vantage import AlphaVantageSource
from tests.fakes import (
    AV_KEY_REFUSED,
    AV_PREMIUM_INFORMATION,
    AV_RATE_LIMIT_INFORMATION,
    AV_RATE_LIMIT_NOTE,
    AV_UNKNOWN_SYMBOL,
    Reply,
    ScriptedTransport,
    av_json,
    daily_series_payload,
)

API_KEY = "AVKEY-DO-NOT-LEAK-123"


def _source(*replies: Reply) -> tuple[AlphaVantageSource, ScriptedTransport]:
    scripted = ScriptedTransport(list(replies))
    return AlphaVantageSource(API_KEY, 5.0, transport=scripted.transport), scripted


def test_closes_are_parsed_as_exact_decimals_by_date() -> None:
    # Given a compact daily series
    source, scripted = _source(
        av_json(
            daily_series_payload(
                "AAPL", {date(2026, 11, 19): "266.2500", date(2026, 11, 20): "268.5600"}
            )
        )
    )
    # When the closes are fetched
    series = source.daily_closes("AAPL")
    # Then every close comes back exactly, and the request was TIME_SERIES_DAILY compact
    assert series.rejected == {}
    assert series.closes == {
        date(2026, 11, 19): Decimal("266.2500"),
        date(2026, 11, 20): Decimal("268.5600"),
    }
    (request,) = scripted.requests
    assert request.url.params["function"] == "TIME_SERIES_DAILY"
    assert request.url.params["outputsize"] == "compact"
    assert request.url.params["symbol"] == "AAPL"


@pytest.mark.parametrize(
    ("reply", "error", "reason"),
    [
        (av_json(AV_UNKNOWN_SYMBOL), MarketDataUnknownSymbol, "Invalid API call"),
        (av_json(daily_series_payload("ZZZZ", {})), MarketDataUnknownSymbol, "empty series"),
        (av_json(AV_RATE_LIMIT_NOTE), MarketDataRateLimited, "call frequency"),
        (av_json(AV_RATE_LIMIT_INFORMATION), MarketDataRateLimited, "25 requests per day"),
        (av_json(AV_PREMIUM_INFORMATION), MarketDataPremiumOnly, "premium endpoint"),
        (av_json({}), MarketDataUnavailable, "empty payload"),
        (av_json({"Meta Data": {}}), MarketDataUnavailable, "no daily series"),
        (httpx.Response(200, text="<html>oops"), MarketDataUnavailable, "malformed JSON"),
        (
            av_json({"Time Series (Daily)": {"latest": {"4. close": "1"}}}),
            MarketDataUnavailable,
            "no dated bars",
        ),
        (httpx.Response(429, text="slow down"), MarketDataRateLimited, "HTTP 429"),
        (httpx.Response(503, text="unavailable"), MarketDataUnavailable, "HTTP 503"),
        (httpx.Response(500, text="boom"), MarketDataUnavailable, "HTTP 500"),
        (httpx.ReadTimeout("read timed out"), MarketDataUnavailable, "timed out"),
        (httpx.ConnectError("connection refused"), MarketDataUnavailable, "unreachable"),
    ],
    ids=[
        "error-message", "empty-series", "note", "information-rate-limit", "premium",
        "empty-payload", "no-series", "malformed-json", "no-dated-bars", "http-429",
        "http-503", "http-500", "timeout", "connect-error",
    ],
)  # fmt: skip
def test_each_failure_is_a_named_error_that_names_the_symbol(
    reply: Reply, error: type[MarketDataError], reason: str
) -> None:
    source, _ = _source(reply)
    with pytest.raises(error) as raised:
        source.daily_closes("MSFT")
    assert raised.value.symbol == "MSFT"
    assert str(raised.value).startswith("MSFT: ")
    assert reason in str(raised.value)
    # The key is in the request URL; it must never reach an error message or its cause.
    assert API_KEY not in str(raised.value)
    assert raised.value.__cause__ is None or API_KEY not in str(raised.value.__cause__)


def test_a_bar_without_a_sane_close_is_reported_not_returned() -> None:
    # Given a series with one good bar and one without a close
    source, _ = _source(
        av_json(
            {
                "Time Series (Daily)": {
                    "2026-11-20": {"4. close": "268.5600"},
                    "2026-11-19": {"1. open": "1"},
                }
            }
        )
    )
    # When it is fetched
    series = source.daily_closes("AAPL")
    # Then the good close is returned and the bad bar is reported with the reason
    assert series.closes == {date(2026, 11, 20): Decimal("268.5600")}
    assert series.rejected == {date(2026, 11, 19): "no close in the bar"}


def test_split_history_is_parsed_from_the_free_splits_endpoint() -> None:
    # Given Alpha Vantage's SPLITS answer for a stock that split twice
    source, scripted = _source(
        av_json(
            {
                "symbol": "NVDA",
                "data": [
                    {"effective_date": "2024-06-10", "split_factor": "10.0000"},
                    {"effective_date": "2021-07-20", "split_factor": "4.0000"},
                ],
            }
        )
    )
    # When the splits are fetched
    splits = source.splits("NVDA")
    # Then each comes back with its effective date and exact factor
    assert [(s.effective_date, s.factor) for s in splits] == [
        (date(2024, 6, 10), Decimal("10.0000")),
        (date(2021, 7, 20), Decimal("4.0000")),
    ]
    assert scripted.requests[0].url.params["function"] == "SPLITS"


@pytest.mark.parametrize("function", ["daily_closes", "splits"])
def test_a_refused_key_is_named_as_such_never_an_unknown_symbol(function: str) -> None:
    # Given Alpha Vantage's answer to a revoked, expired or mistyped key
    source, _ = _source(av_json(AV_KEY_REFUSED))
    # When closes or the split history are asked for
    with pytest.raises(MarketDataKeyRefused) as refused:
        getattr(source, function)("SPY")
    # Then it is the key's fault, said in the provider's words ("invalid" kept), no key shown
    assert not isinstance(refused.value, MarketDataUnknownSymbol)
    assert "the parameter apikey is invalid or missing" in refused.value.reason
    assert API_KEY not in str(refused.value)


def test_a_key_the_provider_quotes_is_redacted_but_its_words_are_kept() -> None:
    quoted = {
        "Information": f"We have detected your API key as {API_KEY} and our standard API"
        " rate limit is 25 requests per day."
    }
    source, _ = _source(av_json(quoted))
    with pytest.raises(MarketDataRateLimited) as limited:
        source.daily_closes("SPY")
    assert API_KEY not in limited.value.reason
    assert "API key as [redacted] and our standard" in limited.value.reason
