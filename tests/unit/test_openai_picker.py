"""The OpenAI picker against recorded-shape responses: structured output, re-asks, named errors."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import httpx
import pytest

from alpha_monday.domain.errors import (
    MarketDataRateLimited,
    PickerAuthenticationFailed,
    PickerCheckInterrupted,
    PickerError,
    PickerInvalidOutput,
    PickerOutputTruncated,
    PickerRefused,
    PickerRequestRejected,
    PickerUnavailable,
)
from alpha_monday.domain.picks import (
    PROMPT_VERSION,
    PastBatch,
    PastPick,
    PickerAttempt,
    PickRequest,
)
from alpha_monday.integrations.openai_picker import KEPT_ANSWER_CHARACTERS, OpenAIPicker, kept_text
from tests.fake_openai import FakeOpenAI
from tests.fake_openai import serving as serving_openai
from tests.fakes import (
    Reply,
    ScriptedTransport,
    accept_all,
    chat_completion,
    picks_json,
    request_messages,
    tickers_rejected,
)

REQUEST = PickRequest(
    run_date=date(2026, 11, 23),
    baseline_date=date(2026, 11, 20),
    benchmark_symbol="SPY",
    track_record=(
        PastBatch(
            run_date=date(2026, 11, 2),
            picks=(
                PastPick(ticker="TSLA", action="SELL", final_vs_benchmark_pct=Decimal("3.25")),
                PastPick(ticker="AMD", action="BUY", final_vs_benchmark_pct=Decimal("-1.5")),
            ),
        ),
    ),
)
GOOD = picks_json(("AAPL", "BUY"), ("MSFT", "SELL"), ("NVDA", "BUY"))


def _picker(*replies: Reply, max_retries: int = 0) -> tuple[OpenAIPicker, ScriptedTransport]:
    scripted = ScriptedTransport(list(replies))
    picker = OpenAIPicker(
        "sk-test-DO-NOT-LEAK",
        "gpt-4o-mini",
        timeout_seconds=5,
        max_retries=max_retries,
        max_reasks=2,
        transport=scripted.transport,
    )
    return picker, scripted


def test_valid_structured_output_becomes_three_picks_with_provenance() -> None:
    # Given the model answers with three valid picks
    picker, scripted = _picker(chat_completion(GOOD))
    # When picks are requested
    result = picker.pick(REQUEST, accept_all)
    # Then they are parsed, and the model, prompt version and raw output are kept
    assert [(p.ticker, p.action) for p in result.picks.picks] == [
        ("AAPL", "BUY"),
        ("MSFT", "SELL"),
        ("NVDA", "BUY"),
    ]
    assert result.model == "gpt-4o-mini"
    assert result.prompt_version == PROMPT_VERSION
    assert [a.raw_output for a in result.attempts] == [GOOD]
    # And the request asked for the strict schema, with the run date and the track record
    (request,) = scripted.requests
    body = json.loads(request.content)
    assert body["model"] == "gpt-4o-mini"
    assert body["response_format"]["json_schema"]["strict"] is True
    prompt = request_messages(request)[-1]["content"]
    assert "2026-11-23" in prompt
    assert "SELL TSLA +3.25" in prompt
    assert "BUY AMD -1.50" in prompt
    assert "liquid, US-listed" in request_messages(request)[0]["content"]


def test_a_ticker_the_market_rejects_is_sent_back_with_the_reason() -> None:
    # Given the market does not know ZZZZ, and the model fixes it when told
    first = picks_json(("AAPL", "BUY"), ("ZZZZ", "SELL"), ("NVDA", "BUY"))
    picker, scripted = _picker(chat_completion(first), chat_completion(GOOD))
    # When picks are requested
    result = picker.pick(REQUEST, tickers_rejected("ZZZZ"))
    # Then the second request carried the rejection, and the second answer was accepted
    assert [p.ticker for p in result.picks.picks] == ["AAPL", "MSFT", "NVDA"]
    assert len(result.attempts) == 2
    assert result.attempts[0].problems == ("ZZZZ: unknown to the market data source",)
    reask = request_messages(scripted.requests[1])
    assert reask[-2] == {"role": "assistant", "content": first}
    assert "ZZZZ: unknown to the market data source" in reask[-1]["content"]


def test_rejections_are_re_asked_at_most_twice() -> None:
    bad = picks_json(("AAPL", "BUY"), ("ZZZZ", "SELL"), ("NVDA", "BUY"))
    picker, scripted = _picker(*(chat_completion(bad) for _ in range(3)))
    with pytest.raises(PickerInvalidOutput, match=r"after 3 attempts.*ZZZZ"):
        picker.pick(REQUEST, tickers_rejected("ZZZZ"))
    assert len(scripted.requests) == 3


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        (picks_json(("AAPL", "BUY"), ("AAPL", "SELL"), ("NVDA", "BUY")), "tickers must be unique"),
        (picks_json(("AAPL", "BUY"), ("MSFT", "SELL")), "at least 3 items"),
        (picks_json(("AAPL", "BUY"), ("SPY", "SELL"), ("NVDA", "BUY")), "SPY is the benchmark"),
        (picks_json(("aapl", "BUY"), ("MSFT", "SELL"), ("NVDA", "BUY")), "should match pattern"),
        ('{"picks": [', "not the JSON object"),
    ],
    ids=["duplicate-tickers", "too-few", "benchmark", "lowercase", "broken-json"],
)
def test_invalid_output_is_re_asked_then_accepted(answer: str, problem: str) -> None:
    picker, scripted = _picker(chat_completion(answer), chat_completion(GOOD))
    result = picker.pick(REQUEST, accept_all)
    assert problem in " ".join(result.attempts[0].problems)
    assert problem in request_messages(scripted.requests[1])[-1]["content"]
    assert len(result.picks.picks) == 3


@pytest.mark.parametrize(
    ("reply", "error", "message"),
    [
        (chat_completion(None, refusal="I can't help with that."), PickerRefused, "can't help"),
        (
            chat_completion('{"picks": [{"tick', finish_reason="length"),
            PickerOutputTruncated,
            "token limit",
        ),
        (chat_completion(None, finish_reason="content_filter"), PickerRefused, "content filter"),
        (
            httpx.Response(500, json={"error": {"message": "server error"}}),
            PickerUnavailable,
            "InternalServerError",
        ),
        (
            httpx.Response(429, json={"error": {"message": "rate limited"}}),
            PickerUnavailable,
            "RateLimitError",
        ),
        (
            httpx.Response(401, json={"error": {"message": "bad key"}}),
            PickerAuthenticationFailed,
            r"refused the API key \(HTTP 401\)",
        ),
        (
            httpx.Response(403, json={"error": {"message": "not allowed"}}),
            PickerAuthenticationFailed,
            r"refused the API key \(HTTP 403\)",
        ),
        (httpx.ReadTimeout("timed out"), PickerUnavailable, "APITimeoutError"),
    ],
    ids=[
        "refusal",
        "length",
        "content-filter",
        "http-500",
        "http-429",
        "http-401",
        "http-403",
        "timeout",
    ],
)
def test_failures_are_named_errors_without_the_key(
    reply: Reply, error: type[PickerError], message: str
) -> None:
    picker, _ = _picker(reply)
    with pytest.raises(error, match=message) as raised:
        picker.pick(REQUEST, accept_all)
    assert "DO-NOT-LEAK" not in str(raised.value)


def test_first_batch_prompt_says_there_is_no_track_record() -> None:
    picker, scripted = _picker(chat_completion(GOOD))
    picker.pick(REQUEST.model_copy(update={"track_record": ()}), accept_all)
    assert "no track record yet" in request_messages(scripted.requests[0])[-1]["content"]


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_key_fails_at_once_without_retrying(status: int) -> None:
    # Given a picker the SDK would retry twice, and an API that refuses the key
    refused = httpx.Response(status, json={"error": {"message": "no"}})
    picker, scripted = _picker(refused, refused, refused, max_retries=2)
    # When it picks, then it fails by name after one call
    with pytest.raises(PickerAuthenticationFailed):
        picker.pick(REQUEST, accept_all)
    assert len(scripted.requests) == 1


def test_the_result_names_the_model_that_answered_not_only_the_one_asked() -> None:
    picker, _ = _picker(chat_completion(GOOD, model="gpt-4o-mini-2024-07-18"))
    result = picker.pick(REQUEST, accept_all)
    assert result.model == "gpt-4o-mini-2024-07-18"
    assert result.attempts[0].model == "gpt-4o-mini-2024-07-18"


def test_brk_dot_b_and_brk_dash_b_are_one_company() -> None:
    # Given an answer naming Berkshire's B shares twice, spelled two ways, then a good one
    twice = picks_json(("BRK.B", "BUY"), ("BRK-B", "SELL"), ("NVDA", "BUY"))
    picker, scripted = _picker(chat_completion(twice), chat_completion(GOOD))
    # When it picks, then the first answer is rejected as a duplicate
    result = picker.pick(REQUEST, accept_all)
    assert "tickers must be unique, got BRK-B, BRK-B, NVDA" in result.attempts[0].problems[0]
    assert len(scripted.requests) == 2


def test_a_single_spelling_is_stored_in_the_data_sources_form() -> None:
    answer = picks_json(("BRK.B", "BUY"), ("MSFT", "SELL"), ("NVDA", "BUY"))
    picker, _ = _picker(chat_completion(answer))
    checked: list[str] = []
    result = picker.pick(REQUEST, checked.append)  # type: ignore[arg-type]
    assert [pick.ticker for pick in result.picks.picks] == ["BRK-B", "MSFT", "NVDA"]
    assert checked[0] == "BRK-B"


def test_a_reasoning_of_invisible_characters_is_rejected() -> None:
    invisible = json.dumps(
        {
            "picks": [
                {"ticker": "AAPL", "action": "BUY", "reasoning": "\u200b" * 25},
                {"ticker": "MSFT", "action": "SELL", "reasoning": "Margins look stretched."},
                {"ticker": "NVDA", "action": "BUY", "reasoning": "Data-centre demand holds."},
            ]
        }
    )
    picker, _ = _picker(chat_completion(invisible), chat_completion(GOOD))
    result = picker.pick(REQUEST, accept_all)
    assert "at least 20 visible characters, got 0" in " ".join(result.attempts[0].problems)


def test_a_check_that_fails_keeps_the_answer_and_the_retry_reviews_it_without_a_call() -> None:
    # Given a market that rate-limits the first check of a ticker
    picker, scripted = _picker(chat_completion(GOOD))

    def rate_limited(ticker: str) -> str | None:
        raise MarketDataRateLimited(ticker, "Alpha Vantage: rate limit")

    # When the picker's check is interrupted
    with pytest.raises(PickerCheckInterrupted) as interrupted:
        picker.pick(REQUEST, rate_limited)
    (kept,) = interrupted.value.attempts
    assert kept.unchecked  # type: ignore[attr-defined]
    # Then a retry with the kept answer reviews it and asks the model nothing
    retry = REQUEST.model_copy(update={"earlier_answers": interrupted.value.attempts})
    result = picker.pick(retry, accept_all)
    assert len(scripted.requests) == 1
    assert [p.ticker for p in result.picks.picks] == ["AAPL", "MSFT", "NVDA"]
    assert not result.attempts[0].unchecked


EMPTY_CHOICES = json.dumps(
    {
        "id": "chatcmpl-filtered",
        "object": "chat.completion",
        "created": 1_763_800_000,
        "model": "compatible-model-1",
        "choices": [],
        "usage": {"prompt_tokens": 300, "completion_tokens": 0, "total_tokens": 300},
    }
).encode()
PROXY_PAGE = b"<html><body>502 Bad Gateway</body></html>"


@pytest.mark.parametrize(
    ("body", "content_type", "error", "message"),
    [
        (EMPTY_CHOICES, "application/json", PickerRefused, "no choices"),
        (PROXY_PAGE, "text/html", PickerUnavailable, r"not a chat completion \(text/html\)"),
        (b"{not json", "application/json", PickerUnavailable, "not a chat completion"),
        (b'{"choices": [{"index": 0}]}', "application/json", PickerUnavailable, "not a chat"),
    ],
    ids=["empty-choices", "html-from-a-proxy", "broken-json", "choice-without-message"],
)
def test_an_answer_that_is_no_completion_is_a_named_error_and_is_kept(
    monkeypatch: pytest.MonkeyPatch, body: bytes, content_type: str, error: type, message: str
) -> None:
    # Given an OpenAI-compatible service (real HTTP) that answers HTTP 200 with no usable
    # completion
    with serving_openai(FakeOpenAI(content="", raw_body=body, content_type=content_type)) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        picker = OpenAIPicker(
            "sk-test-DO-NOT-LEAK", "gpt-4o-mini", timeout_seconds=5, max_retries=0, max_reasks=2
        )
        # When picks are requested
        with pytest.raises(error, match=message) as raised:
            picker.pick(REQUEST, accept_all)
    # Then it is a named error after one request, and the answer is kept as received
    assert len(fake.requests) == 1
    (kept,) = raised.value.attempts
    assert isinstance(kept, PickerAttempt)
    assert kept.raw_output == body.decode()
    assert kept.problems == (str(raised.value),)


def test_a_huge_answer_is_kept_up_to_a_bound() -> None:
    text = "x" * (KEPT_ANSWER_CHARACTERS + 10)
    kept = kept_text(text)
    assert kept.startswith("x" * KEPT_ANSWER_CHARACTERS)
    assert kept.endswith("[... 10 more characters not kept]")
    assert kept_text("short") == "short"


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (400, "'response_format' of type 'json_schema' is not supported with this model."),
        (404, "The model `gpt-5-nonexistent` does not exist or you do not have access to it."),
        (422, "Unprocessable request: invalid schema for response_format 'weekly_picks'."),
    ],
)
def test_a_request_openai_rejects_fails_at_once_with_openai_s_reason(
    status: int, message: str
) -> None:
    # Given an API that rejects the request itself, and an SDK that would retry twice
    body = {"error": {"message": message, "type": "invalid_request_error", "code": None}}
    rejected = httpx.Response(status, json=body)
    picker, scripted = _picker(rejected, rejected, rejected, max_retries=2)
    # When picks are requested
    with pytest.raises(PickerRequestRejected) as rejected:
        picker.pick(REQUEST, accept_all)
    # Then one request was made, and the error carries OpenAI's reason (not the key, nor
    # the prompt)
    assert len(scripted.requests) == 1
    assert f"HTTP {status}" in str(rejected.value)
    assert message in str(rejected.value)
    assert "DO-NOT-LEAK" not in str(rejected.value)
    assert "Run date" not in str(rejected.value)
