"""What a picker must produce, and how the rest of the system asks for it."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal, Protocol

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

PICKS_PER_BATCH = 3
TICKER_PATTERN = r"^[A-Z]{1,5}([.-][A-Z])?$"
PROMPT_VERSION = "2026-12-02.1"
# The prompts a contender may be configured with (one today).
KNOWN_PROMPT_VERSIONS = (PROMPT_VERSION,)

MIN_VISIBLE_REASONING = 20


def source_form(ticker: str) -> str:
    """The data source's spelling of a share class: BRK.B and BRK-B are one company."""
    return ticker.replace(".", "-")


def _has_visible_text(reasoning: str) -> str:
    # Letters, digits, punctuation, symbols: zero-width and other format characters are
    # not something a reader can see.
    visible = sum(1 for ch in reasoning if unicodedata.category(ch)[0] in "LNPS")
    if visible < MIN_VISIBLE_REASONING:
        raise ValueError(
            f"a reasoning needs at least {MIN_VISIBLE_REASONING} visible characters, got {visible}"
        )
    return reasoning


Ticker = Annotated[str, StringConstraints(pattern=TICKER_PATTERN), AfterValidator(source_form)]


class ProposedPick(BaseModel):
    model_config = ConfigDict(frozen=True)

    ticker: Ticker
    action: Literal["BUY", "SELL"]
    reasoning: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=20, max_length=1200),
        AfterValidator(_has_visible_text),
    ]


class ProposedPicks(BaseModel):
    """Exactly three picks with unique tickers, none of them the benchmark."""

    model_config = ConfigDict(frozen=True)

    benchmark_symbol: str = "SPY"
    picks: tuple[ProposedPick, ...] = Field(min_length=PICKS_PER_BATCH, max_length=PICKS_PER_BATCH)

    @model_validator(mode="after")
    def _tickers_are_unique_and_not_the_benchmark(self) -> ProposedPicks:
        tickers = [pick.ticker for pick in self.picks]
        if len(set(tickers)) != len(tickers):
            raise ValueError(f"tickers must be unique, got {', '.join(tickers)}")
        if self.benchmark_symbol in tickers:
            raise ValueError(f"{self.benchmark_symbol} is the benchmark and cannot be picked")
        return self


class PastPick(BaseModel):
    model_config = ConfigDict(frozen=True)

    ticker: str
    action: Literal["BUY", "SELL"]
    final_vs_benchmark_pct: Decimal | None


class PastBatch(BaseModel):
    """One completed batch of the model's own track record."""

    model_config = ConfigDict(frozen=True)

    run_date: date
    picks: tuple[PastPick, ...]


class PickerAttempt(BaseModel):
    """One answer of the model and what was wrong with it (empty when accepted)."""

    model_config = ConfigDict(frozen=True)

    raw_output: str
    problems: tuple[str, ...] = ()
    # The model that answered (the API's `model`, which may name a snapshot of the one asked).
    model: str | None = None
    # True when checking its tickers failed (a rate limit): the answer awaits its review.
    unchecked: bool = False


class PickRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    run_date: date
    baseline_date: date
    benchmark_symbol: str
    track_record: tuple[PastBatch, ...] = ()
    # Answers this run already got, the last maybe unchecked: reviewed again, not re-asked.
    earlier_answers: tuple[PickerAttempt, ...] = ()


class PickerResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    picks: ProposedPicks
    model: str
    prompt_version: str
    attempts: tuple[PickerAttempt, ...]


# Returns why the market data source rejects a ticker, or None when it knows it.
TickerCheck = Callable[[str], str | None]


class Picker(Protocol):
    # True for a stand-in (the scripted picker): its picks are no real model's opinion.
    offline: bool

    def pick(self, request: PickRequest, check_ticker: TickerCheck) -> PickerResult:
        """Three acceptable picks, re-asking (a bounded number of times) on rejections."""
        ...
