"""Pick generation with OpenAI structured output.

The model answers in a strict JSON schema; the answer is validated by `ProposedPicks` and
each ticker is checked against the market data source. Problems are sent back to the model
with the reason, at most `max_reasks` times. Every attempt's raw output is returned so the
workflow can keep it in `events`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import httpx
import openai
from openai.types.chat import ChatCompletion, ChatCompletionMessageParam
from openai.types.shared_params import ResponseFormatJSONSchema
from pydantic import ValidationError

if TYPE_CHECKING:
    # What `with_raw_response` returns; the SDK does not export the type.
    from openai._legacy_response import LegacyAPIResponse

from alpha_monday.domain.errors import (
    AlphaMondayError,
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
    PICKS_PER_BATCH,
    PROMPT_VERSION,
    PickerAttempt,
    PickerResult,
    PickRequest,
    ProposedPicks,
    TickerCheck,
)

RESPONSE_FORMAT: ResponseFormatJSONSchema = {
    "type": "json_schema",
    "json_schema": {
        "name": "weekly_picks",
        "strict": True,
        "schema": {
            "type": "object",
            "additionalProperties": False,
            "required": ["picks"],
            "properties": {
                "picks": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["ticker", "action", "reasoning"],
                        "properties": {
                            "ticker": {"type": "string"},
                            "action": {"type": "string", "enum": ["BUY", "SELL"]},
                            "reasoning": {"type": "string"},
                        },
                    },
                }
            },
        },
    },
}

SYSTEM_PROMPT = f"""You pick stocks for Alpha Monday, a public and honest experiment.
Every Monday you choose exactly {PICKS_PER_BATCH} liquid, US-listed common stocks (NYSE or
NASDAQ, large and actively traded). For each, say BUY if you expect it to beat the S&P 500
ETF over the next two weeks, or SELL if you expect it to trail it, with one to three
sentences of reasoning. A pick is scored against the benchmark either way, on total
returns (dividends included, splits adjusted): a BUY scores the stock's total return minus
the benchmark's, a SELL the benchmark's minus the stock's (a short pays the dividends), so
a SELL is right whenever the stock does worse than the benchmark, even if both rise.
Use the exchange ticker in capitals (e.g. AAPL, BRK.B). Never pick an ETF, a fund or the
benchmark itself. Learn from your own track record."""


def render_prompt(request: PickRequest) -> str:
    lines = [
        f"Run date: {request.run_date.isoformat()} (a Monday).",
        f"Baseline: the close of {request.baseline_date.isoformat()}, the last session before.",
        f"Benchmark: {request.benchmark_symbol}. Each pick is tracked for 14 days against it.",
        "",
    ]
    if request.track_record:
        lines.append(
            "Your track record (final score vs the benchmark on total returns, in percent;"
            " positive means the call was right: a BUY beat the benchmark, a SELL trailed it):"
        )
        for batch in request.track_record:
            picks = ", ".join(
                f"{p.action} {p.ticker} "
                + (
                    f"{p.final_vs_benchmark_pct:+.2f}"
                    if p.final_vs_benchmark_pct is not None
                    else "n/a"
                )
                for p in batch.picks
            )
            lines.append(f"- {batch.run_date.isoformat()}: {picks}")
    else:
        lines.append("You have no track record yet: this is your first batch.")
    lines.append("")
    lines.append(f"Give your {PICKS_PER_BATCH} picks for this week.")
    return "\n".join(lines)


def _validation_problems(error: ValidationError) -> list[str]:
    return [
        f"{'.'.join(str(part) for part in issue['loc']) or 'answer'}: {issue['msg']}"
        for issue in error.errors()
    ]


def _rejection(attempt: PickerAttempt) -> list[ChatCompletionMessageParam]:
    """The model's rejected answer and why, as the conversation goes on."""
    return [
        {"role": "assistant", "content": attempt.raw_output},
        {
            "role": "user",
            "content": "Your answer was rejected:\n"
            + "\n".join(f"- {problem}" for problem in attempt.problems)
            + f"\nGive all {PICKS_PER_BATCH} picks again, replacing the rejected ones.",
        },
    ]


# An answer is kept as received, up to this much (a hostile service could send megabytes).
KEPT_ANSWER_CHARACTERS = 65_536


def kept_text(text: str) -> str:
    if len(text) <= KEPT_ANSWER_CHARACTERS:
        return text
    cut = len(text) - KEPT_ANSWER_CHARACTERS
    return f"{text[:KEPT_ANSWER_CHARACTERS]}[... {cut} more characters not kept]"


def _read_answer(
    raw: LegacyAPIResponse[ChatCompletion],
) -> tuple[PickerAttempt, PickerError | None]:
    """The model's answer, or, for an answer that is no usable completion, the answer as
    received (to be kept) with its named error."""

    def unusable(error: PickerError, model: str | None = None) -> tuple[PickerAttempt, PickerError]:
        kept = PickerAttempt(raw_output=kept_text(raw.text), problems=(str(error),), model=model)
        return kept, error

    try:
        completion = raw.parse()
    except ValueError:  # a JSON content type with a body that is not JSON
        completion = None
    if not isinstance(completion, ChatCompletion) or any(
        choice.message is None for choice in completion.choices or ()
    ):
        content_type = raw.headers.get("content-type", "no content type")
        return unusable(
            PickerUnavailable(
                f"OpenAI answered HTTP {raw.status_code} with a body that is not a chat "
                f"completion ({content_type})"
            )
        )
    model = completion.model
    if not completion.choices:
        # Some OpenAI-compatible services answer a filtered request with no choice.
        return unusable(
            PickerRefused("the model's answer has no choices (filtered by the service?)"), model
        )
    choice = completion.choices[0]
    if choice.finish_reason == "length":
        return unusable(PickerOutputTruncated("the model's answer hit the token limit"), model)
    if choice.finish_reason == "content_filter":
        return unusable(
            PickerRefused("the model's answer was stopped by the content filter"), model
        )
    if choice.message.refusal:
        return unusable(PickerRefused(f"the model refused: {choice.message.refusal}"), model)
    return PickerAttempt(raw_output=choice.message.content or "", model=model), None


# Statuses no retry can change: a bad request, a model that does not exist, a schema refused.
PERMANENT_REJECTIONS = (
    openai.BadRequestError,
    openai.NotFoundError,
    openai.UnprocessableEntityError,
)


class OpenAIPicker:
    offline = False

    def __init__(
        self,
        api_key: str,
        model: str,
        *,
        timeout_seconds: float,
        max_retries: int,
        max_reasks: int,
        base_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.model = model
        self._api_key = api_key
        self._max_reasks = max_reasks
        self._client = openai.OpenAI(
            api_key=api_key,
            # An OpenAI-compatible endpoint of another provider; None is OpenAI's own.
            base_url=base_url,
            timeout=timeout_seconds,
            max_retries=max_retries,
            http_client=httpx.Client(transport=transport) if transport else None,
        )

    def pick(self, request: PickRequest, check_ticker: TickerCheck) -> PickerResult:
        attempts: list[PickerAttempt] = []
        try:
            return self._pick(request, check_ticker, attempts)
        except PickerError as error:
            # Every answer is kept, even those of a run that fails (no silent re-roll).
            error.attempts = tuple(attempts)
            raise

    def _pick(
        self, request: PickRequest, check_ticker: TickerCheck, attempts: list[PickerAttempt]
    ) -> PickerResult:
        messages: list[ChatCompletionMessageParam] = [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": render_prompt(request)},
        ]
        # A retry of this run goes on from the answers it already has: the rejected ones are
        # the conversation so far, an unchecked one is reviewed again without a new call.
        pending: PickerAttempt | None = None
        for earlier in request.earlier_answers:
            if earlier.unchecked:
                pending = earlier
                continue
            attempts.append(earlier)
            messages.extend(_rejection(earlier))
        while len(attempts) <= self._max_reasks:
            answer = pending or self._ask(messages, attempts)
            pending = None
            try:
                picks, problems = self._review(
                    answer.raw_output, request.benchmark_symbol, check_ticker
                )
            except AlphaMondayError as error:
                # The market could not say (a rate limit): keep the answer, unchecked.
                attempts.append(answer.model_copy(update={"unchecked": True}))
                raise PickerCheckInterrupted(f"checking the picks failed: {error}") from error
            reviewed = answer.model_copy(update={"problems": tuple(problems), "unchecked": False})
            attempts.append(reviewed)
            if picks is not None and not problems:
                return PickerResult(
                    picks=picks,
                    model=answer.model or self.model,
                    prompt_version=PROMPT_VERSION,
                    attempts=tuple(attempts),
                )
            messages.extend(_rejection(reviewed))
        raise PickerInvalidOutput(
            f"no acceptable picks after {len(attempts)} attempts; last problems: "
            + "; ".join(attempts[-1].problems)
        )

    def _ask(
        self, messages: list[ChatCompletionMessageParam], attempts: list[PickerAttempt]
    ) -> PickerAttempt:
        """One answer of the model. An answer that is no usable completion (a refusal, a
        cut-off, a filtered or empty one, a proxy's HTML page) is kept in `attempts`, as
        received, before its named error is raised."""
        try:
            raw = self._client.chat.completions.with_raw_response.create(
                model=self.model,
                messages=messages,
                response_format=RESPONSE_FORMAT,
                max_completion_tokens=1200,
            )
        except (openai.AuthenticationError, openai.PermissionDeniedError) as error:
            # Retrying with the same key cannot help: fail the run now, by name.
            raise PickerAuthenticationFailed(
                f"OpenAI refused the API key (HTTP {error.status_code})"
            ) from None
        except PERMANENT_REJECTIONS as error:
            # The request itself is wrong for this model: fail now, with OpenAI's reason.
            reason = kept_text(error.message.replace(self._api_key, "[redacted]"))[:1000]
            raise PickerRequestRejected(
                f"OpenAI rejected the request (HTTP {error.status_code}): {reason}"
            ) from None
        except openai.APIError as error:
            # The SDK's message has no key; the status says what happened.
            raise PickerUnavailable(f"OpenAI API error: {type(error).__name__}") from None

        answer, unusable = _read_answer(raw)
        if unusable is not None:
            attempts.append(answer)
            raise unusable
        return answer

    @staticmethod
    def _review(
        raw_output: str, benchmark_symbol: str, check_ticker: TickerCheck
    ) -> tuple[ProposedPicks | None, list[str]]:
        try:
            answer = json.loads(raw_output)
            picks = ProposedPicks.model_validate(
                {"benchmark_symbol": benchmark_symbol, "picks": answer["picks"]}
            )
        except ValidationError as error:
            return None, _validation_problems(error)
        except (ValueError, KeyError, TypeError):
            return None, ["the answer is not the JSON object the schema asks for"]
        rejected = [
            f"{pick.ticker}: {reason}"
            for pick in picks.picks
            if (reason := check_ticker(pick.ticker)) is not None
        ]
        return picks, rejected
