"""Recorded-shape responses of Alpha Vantage and OpenAI, served by httpx mock transports."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import httpx

Reply = httpx.Response | Exception


@dataclass
class ScriptedTransport:
    """Answers requests with the scripted replies in order, recording every request."""

    replies: list[Reply]
    requests: list[httpx.Request] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if not self.replies:
            raise AssertionError(f"unexpected extra request to {request.url.path}")
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)


def daily_series_payload(symbol: str, closes: dict[date, str]) -> dict[str, Any]:
    """A TIME_SERIES_DAILY (compact) body as Alpha Vantage sends it."""
    return {
        "Meta Data": {
            "1. Information": "Daily Prices (open, high, low, close) and Volumes",
            "2. Symbol": symbol,
            "3. Last Refreshed": max(closes).isoformat() if closes else "",
            "4. Output Size": "Compact",
            "5. Time Zone": "US/Eastern",
        },
        "Time Series (Daily)": {
            day.isoformat(): {
                "1. open": close,
                "2. high": close,
                "3. low": close,
                "4. close": close,
                "5. volume": "1000000",
            }
            for day, close in sorted(closes.items(), reverse=True)
        },
    }


def av_json(payload: Any, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=payload)


AV_UNKNOWN_SYMBOL = {
    "Error Message": "Invalid API call. Please retry or visit the documentation "
    "(https://www.alphavantage.co/documentation/) for TIME_SERIES_DAILY."
}
AV_RATE_LIMIT_NOTE = {
    "Note": "Thank you for using Alpha Vantage! Our standard API call frequency is "
    "5 calls per minute and 500 calls per day."
}
AV_RATE_LIMIT_INFORMATION = {
    "Information": "Thank you for using Alpha Vantage! Our standard API rate limit is 25 "
    "requests per day. Please subscribe to any of the premium plans at "
    "https://www.alphavantage.co/premium/ to instantly remove all daily rate limits."
}
AV_PREMIUM_INFORMATION = {
    "Information": "Thank you for using Alpha Vantage! This is a premium endpoint. You may "
    "subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to "
    "instantly unlock all premium endpoints"
}


class FakeSource:
    """A DailyCloseSource with fixed series, counting its calls."""

    name = "the fake market"

    def __init__(self, series: dict[str, dict[date, Decimal]]) -> None:
        self.series = series
        self.calls: list[str] = []

    def daily_closes(self, symbol: str) -> dict[date, Decimal]:
        from alpha_monday.domain.errors import MarketDataUnknownSymbol

        self.calls.append(symbol)
        if symbol not in self.series:
            raise MarketDataUnknownSymbol(symbol, "unknown to the fake market")
        return dict(self.series[symbol])


def chat_completion(
    content: str | None,
    *,
    finish_reason: str = "stop",
    refusal: str | None = None,
    model: str = "gpt-4o-mini",
) -> httpx.Response:
    """A Chat Completions response as the OpenAI API sends it."""
    return httpx.Response(
        200,
        json={
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": 1_763_800_000,
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "finish_reason": finish_reason,
                    "logprobs": None,
                    "message": {"role": "assistant", "content": content, "refusal": refusal},
                }
            ],
            "usage": {"prompt_tokens": 300, "completion_tokens": 120, "total_tokens": 420},
        },
    )


def picks_json(*picks: tuple[str, str]) -> str:
    return json.dumps(
        {
            "picks": [
                {
                    "ticker": ticker,
                    "action": action,
                    "reasoning": f"{ticker} has momentum and a catalyst this fortnight.",
                }
                for ticker, action in picks
            ]
        }
    )


def request_messages(request: httpx.Request) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = json.loads(request.content)["messages"]
    return messages


def tickers_rejected(*tickers: str) -> Callable[[str], str | None]:
    rejected = set(tickers)
    return lambda ticker: "unknown to the market data source" if ticker in rejected else None


def accept_all(_: str) -> str | None:
    return None


# What Alpha Vantage answers a revoked, expired or mistyped key (HTTP 200).
AV_KEY_REFUSED = {
    "Error Message": "the parameter apikey is invalid or missing. Please claim your free API "
    "key on (https://www.alphavantage.co/support/#api-key). It should take less than 20 "
    "seconds."
}
