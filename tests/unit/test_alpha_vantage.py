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


AMZN_SPLITS = {
    "symbol": "AMZN",
    "data": [
        {"effective_date": "2022-06-06", "split_factor": "20.0000"},
        {"effective_date": "1999-09-02", "split_factor": "2.0000"},
        {"effective_date": "1999-01-05", "split_factor": "3.0000"},
        {"effective_date": "1998-06-02", "split_factor": "2.0000"},
    ],
}
KO_DIVIDENDS = {
    "symbol": "KO",
    "data": [
        {
            "ex_dividend_date": "2026-06-13",
            "declaration_date": "2026-04-24",
            "record_date": "2026-06-13",
            "payment_date": "2026-07-01",
            "amount": "0.51",
        },
        {
            "ex_dividend_date": "2026-03-14",
            "declaration_date": "None",
            "record_date": "None",
            "payment_date": "None",
            "amount": "0.51",
        },
    ],
}


def test_splits_and_dividends_come_from_the_two_free_endpoints() -> None:
    # Given Alpha Vantage's SPLITS (Amazon's real history) and DIVIDENDS answers
    source, scripted = _source(av_json(AMZN_SPLITS), av_json({**KO_DIVIDENDS, "symbol": "AMZN"}))
    # When the corporate actions are fetched
    series = source.corporate_actions("AMZN")
    # Then each comes back with its date and exact value ("None" dates of other fields ignored)
    assert [(a.kind, a.action_date, a.value) for a in series.actions.actions] == [
        ("split", date(1998, 6, 2), Decimal("2.0000")),
        ("split", date(1999, 1, 5), Decimal("3.0000")),
        ("split", date(1999, 9, 2), Decimal("2.0000")),
        ("split", date(2022, 6, 6), Decimal("20.0000")),
        ("dividend", date(2026, 3, 14), Decimal("0.51")),
        ("dividend", date(2026, 6, 13), Decimal("0.51")),
    ]
    assert series.rejected == ()
    assert [r.url.params["function"] for r in scripted.requests] == ["SPLITS", "DIVIDENDS"]


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ({"effective_date": "None", "split_factor": "2.0000"}, "no effective_date"),
        ({"effective_date": "2026-01-05", "split_factor": "0"}, "not > 0"),
        ({"effective_date": "2026-01-05", "split_factor": "-2"}, "not > 0"),
        ({"effective_date": "2026-01-05", "split_factor": "NaN"}, "not finite"),
        ({"effective_date": "2026-01-05", "split_factor": 2}, "not decimal text"),
        ({"effective_date": "2026-01-05", "split_factor": "1e3"}, "not plain decimal"),
        ({"effective_date": "05/01/2026", "split_factor": "2"}, "Invalid isoformat"),
        ({"effective_date": "2026-01-05"}, "no split_factor"),
    ],
)
def test_a_bad_split_row_is_dropped_with_its_reason_and_the_rest_kept(
    row: dict[str, object], problem: str
) -> None:
    body = {"symbol": "X", "data": [row, {"effective_date": "2026-02-02", "split_factor": "3"}]}
    source, _ = _source(av_json(body), av_json({"symbol": "X", "data": []}))
    series = source.corporate_actions("X")
    assert [(a.action_date, a.value) for a in series.actions.actions] == [
        (date(2026, 2, 2), Decimal(3))
    ]
    (rejected,) = series.rejected
    assert rejected.startswith("split row 0:")
    assert problem in rejected


def test_a_dividend_without_an_ex_date_or_amount_is_dropped() -> None:
    rows = [
        {"ex_dividend_date": "None", "amount": "0.51"},
        {"ex_dividend_date": "2026-03-02", "amount": "0.0000"},
        {"ex_dividend_date": "2026-03-03", "amount": "0.25"},
    ]
    source, _ = _source(
        av_json({"symbol": "X", "data": []}), av_json({"symbol": "X", "data": rows})
    )
    series = source.corporate_actions("X")
    assert [a.value for a in series.actions.actions] == [Decimal("0.25")]
    assert len(series.rejected) == 2


def test_an_empty_action_list_means_none_but_an_empty_body_is_an_outage() -> None:
    source, _ = _source(av_json({"symbol": "X", "data": []}), av_json({"symbol": "X", "data": []}))
    assert source.corporate_actions("X").actions.actions == ()
    source, _ = _source(av_json({}))
    with pytest.raises(MarketDataUnavailable):
        source.corporate_actions("X")
    source, _ = _source(av_json({"symbol": "X"}))
    with pytest.raises(MarketDataUnavailable, match="no split data"):
        source.corporate_actions("X")


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (AV_RATE_LIMIT_INFORMATION, MarketDataRateLimited),
        (AV_RATE_LIMIT_NOTE, MarketDataRateLimited),
        (AV_PREMIUM_INFORMATION, MarketDataPremiumOnly),
        (AV_UNKNOWN_SYMBOL, MarketDataUnknownSymbol),
        (AV_KEY_REFUSED, MarketDataKeyRefused),
    ],
)
def test_each_notice_on_the_action_endpoints_is_its_named_error(
    body: dict[str, str], error: type[MarketDataError]
) -> None:
    source, _ = _source(av_json(body))
    with pytest.raises(error):
        source.corporate_actions("X")


def test_the_premium_adjusted_series_brings_closes_dividends_and_splits_in_one_call() -> None:
    bars = {
        "2026-06-05": {"4. close": "23.1000", "7. dividend amount": "0.0000",
                       "8. split coefficient": "20.0"},
        "2026-06-04": {"4. close": "461.2700", "7. dividend amount": "0.2600",
                       "8. split coefficient": "1.0"},
        "2026-06-03": {"4. close": "460.0000", "7. dividend amount": "-1",
                       "8. split coefficient": "1.0"},
    }  # fmt: skip
    body = {"Meta Data": {"2. Symbol": "X"}, "Time Series (Daily)": bars}
    scripted = ScriptedTransport([av_json(body)])
    source = AlphaVantageSource(API_KEY, 5.0, transport=scripted.transport, premium=True)
    series = source.daily_closes("X")
    assert series.closes[date(2026, 6, 5)] == Decimal("23.1000")
    assert series.actions is not None
    assert [(a.kind, a.action_date, a.value) for a in series.actions.actions.actions] == [
        ("dividend", date(2026, 6, 4), Decimal("0.2600")),
        ("split", date(2026, 6, 5), Decimal("20.0")),
    ]
    assert len(series.actions.rejected) == 1
    assert scripted.requests[0].url.params["function"] == "TIME_SERIES_DAILY_ADJUSTED"
    assert source.calls_per_look_up == 1


@pytest.mark.parametrize("function", ["daily_closes", "corporate_actions"])
def test_a_refused_key_is_named_as_such_never_an_unknown_symbol(function: str) -> None:
    # Given Alpha Vantage's answer to a revoked, expired or mistyped key
    source, _ = _source(av_json(AV_KEY_REFUSED))
    # When closes or the corporate actions are asked for
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
