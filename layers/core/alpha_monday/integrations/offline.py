"""Offline stand-ins for local runs without API keys: never real prices, never on Lambda.

- SyntheticMarket: a deterministic random walk per symbol over real NYSE sessions,
  served like Alpha Vantage's compact series (the latest 100 published sessions).
- ScriptedPicker: deterministic picks from a fixed universe, seeded by the run date.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache

from alpha_monday.config import running_on_lambda
from alpha_monday.domain.calendar import is_session, market_date, market_instant_utc
from alpha_monday.domain.picks import (
    PICKS_PER_BATCH,
    PROMPT_VERSION,
    PickerAttempt,
    PickerResult,
    PickRequest,
    ProposedPick,
    ProposedPicks,
    TickerCheck,
)
from alpha_monday.errors import ConfigurationError, MarketDataUnknownSymbol, PickerInvalidOutput

UNIVERSE = (
    "AAPL", "ABBV", "AMD", "AMZN", "AVGO", "BAC", "COST", "CRM", "CSCO", "CVX", "DIS",
    "GOOGL", "HD", "INTC", "JNJ", "JPM", "KO", "LLY", "MA", "META", "MRK", "MSFT", "NFLX",
    "NKE", "NVDA", "ORCL", "PEP", "PFE", "PG", "T", "TSLA", "UNH", "V", "WMT", "XOM",
)  # fmt: skip
BENCHMARK = "SPY"
WALK_START = date(2022, 1, 3)
COMPACT_SESSIONS = 100
CLOSE_PUBLISHED_AT = time(16, 30)
OFFLINE_MODEL = "offline-scripted-picker"


def _refuse_on_lambda(what: str) -> None:
    if running_on_lambda():
        raise ConfigurationError(f"{what} is for local runs only; configure the real provider")


def _seed(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("|".join(parts).encode()).digest()[:8], "big")


@cache
def _sessions_through(last_day: date) -> tuple[date, ...]:
    days = (WALK_START + timedelta(days=n) for n in range((last_day - WALK_START).days + 1))
    return tuple(day for day in days if is_session(day))


@cache
def _walk(symbol: str, last_day: date) -> dict[date, Decimal]:
    rng = random.Random(_seed("walk", symbol))  # noqa: S311 - synthetic prices, not crypto
    price = 20.0 + rng.random() * 480.0
    closes = {}
    for day in _sessions_through(last_day):
        price *= math.exp(rng.gauss(0.0003, 0.018))
        closes[day] = Decimal(f"{price:.4f}")
    return closes


class SyntheticMarket:
    """Behaves like the compact daily series: the latest 100 sessions whose close is out."""

    name = "the synthetic offline market"

    def __init__(self, now: Callable[[], datetime]) -> None:
        _refuse_on_lambda("the synthetic market")
        self._now = now

    def daily_closes(self, symbol: str) -> dict[date, Decimal]:
        if symbol not in UNIVERSE and symbol != BENCHMARK:
            raise MarketDataUnknownSymbol(symbol, "not in the synthetic market's universe")
        now = self._now()
        today = market_date(now)
        published_through = (
            today if now >= market_instant_utc(today, CLOSE_PUBLISHED_AT) else today - timedelta(1)
        )
        series = _walk(symbol, published_through)
        return dict(list(series.items())[-COMPACT_SESSIONS:])


class ScriptedPicker:
    """Deterministic picks for a run date, from the synthetic market's universe."""

    model = OFFLINE_MODEL

    def __init__(self) -> None:
        _refuse_on_lambda("the scripted picker")

    def pick(self, request: PickRequest, check_ticker: TickerCheck) -> PickerResult:
        rng = random.Random(_seed("picks", request.run_date.isoformat()))  # noqa: S311
        candidates = [ticker for ticker in UNIVERSE if ticker != request.benchmark_symbol]
        rng.shuffle(candidates)
        chosen: list[ProposedPick] = []
        problems: list[str] = []
        for ticker in candidates:
            if len(chosen) == PICKS_PER_BATCH:
                break
            reason = check_ticker(ticker)
            if reason is not None:
                problems.append(f"{ticker}: {reason}")
                continue
            action = rng.choice(("BUY", "SELL"))
            chosen.append(
                ProposedPick(
                    ticker=ticker,
                    action=action,
                    reasoning=f"[offline scripted pick] {action} {ticker} for the week of "
                    f"{request.run_date.isoformat()}; no language model was asked.",
                )
            )
        if len(chosen) < PICKS_PER_BATCH:
            raise PickerInvalidOutput("the scripted picker ran out of acceptable tickers")
        picks = ProposedPicks(benchmark_symbol=request.benchmark_symbol, picks=tuple(chosen))
        raw_output = json.dumps({"picks": [pick.model_dump() for pick in chosen]})
        return PickerResult(
            picks=picks,
            model=OFFLINE_MODEL,
            prompt_version=PROMPT_VERSION,
            attempts=(PickerAttempt(raw_output=raw_output, problems=tuple(problems)),),
        )
