"""No secret value reaches a log line, even at DEBUG and on failure paths."""

from __future__ import annotations

import logging
from datetime import date

import httpx
import pytest

from alpha_monday.domain.errors import AlphaMondayError
from alpha_monday.domain.picks import PickRequest
from alpha_monday.integrations.alpha_vantage import AlphaVantageSource
from alpha_monday.integrations.openai_picker import OpenAIPicker
from alpha_monday.observability import logger
from tests.fakes import (
    AV_RATE_LIMIT_INFORMATION,
    ScriptedTransport,
    accept_all,
    av_json,
    chat_completion,
    daily_series_payload,
    picks_json,
)

AV_KEY = "AVKEY-SECRET-5678"
OPENAI_KEY = "sk-proj-SECRET-1234"


def test_provider_calls_and_their_failures_log_no_key(
    caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    # Given both clients, answering successes and failures through mock transports
    av = ScriptedTransport(
        [
            av_json(daily_series_payload("AAPL", {date(2026, 11, 20): "268.56"})),
            av_json(AV_RATE_LIMIT_INFORMATION),
            httpx.ReadTimeout("timed out"),
        ]
    )
    source = AlphaVantageSource(AV_KEY, 5, transport=av.transport)
    openai_transport = ScriptedTransport(
        [
            chat_completion(picks_json(("AAPL", "BUY"), ("MSFT", "SELL"), ("NVDA", "BUY"))),
            httpx.Response(401, json={"error": {"message": "Incorrect API key provided"}}),
        ]
    )
    picker = OpenAIPicker(
        OPENAI_KEY,
        "gpt-4o-mini",
        timeout_seconds=5,
        max_retries=0,
        max_reasks=0,
        transport=openai_transport.transport,
    )
    request = PickRequest(
        run_date=date(2026, 11, 23), baseline_date=date(2026, 11, 20), benchmark_symbol="SPY"
    )
    # When they are used, and the failures are logged the way the handlers log them
    source.daily_closes("AAPL")
    picker.pick(request, accept_all)
    for failing in (lambda: source.daily_closes("MSFT"), lambda: source.daily_closes("NVDA"),
                    lambda: picker.pick(request, accept_all)):  # fmt: skip
        try:
            failing()
        except AlphaMondayError:
            logger.exception("provider call failed")
    # Then no captured line holds either key
    output = capsys.readouterr()
    for text in (caplog.text, output.out, output.err):
        assert AV_KEY not in text
        assert OPENAI_KEY not in text
    # And the failures were logged, as JSON lines with their stack traces, on stdout (where
    # Lambda takes them from)
    logged = [line for line in output.out.splitlines() if "provider call failed" in line]
    assert len(logged) == 3
    assert all('"exception"' in line for line in logged)
    # And the keys were really sent (the test would be vacuous otherwise)
    assert av.requests[0].url.params["apikey"] == AV_KEY
    assert openai_transport.requests[0].headers["Authorization"] == f"Bearer {OPENAI_KEY}"
