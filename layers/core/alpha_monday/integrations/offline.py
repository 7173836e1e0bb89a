"""Offline stand-ins for local runs without API keys: never real prices, never on Lambda.

- SyntheticMarket: a deterministic random walk per symbol over real NYSE sessions,
  served like Alpha Vantage's compact series (the latest 100 published sessions), with
  deterministic corporate actions: quarterly dividends of the usual payers and SPY's (on
  the third Friday of March, June, September and December), and a 20:1, a 3:2, a 1:10
  reverse split and a spin-off factor on known dates; the closes are unadjusted, as the
  provider's are.
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
from alpha_monday.domain.calendar import is_session
from alpha_monday.domain.corporate_actions import CorporateAction, CorporateActions
from alpha_monday.domain.errors import (
    ConfigurationError,
    MarketDataUnknownSymbol,
    PickerInvalidOutput,
)
from alpha_monday.domain.market_data import ActionSeries, DailySeries
from alpha_monday.domain.market_time import market_date, market_instant_utc
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
from alpha_monday.integrations.universe import sp500_universe

# Each ticker's rough price level and annual volatility, so offline runs look like a market.
PROFILES: dict[str, tuple[float, float]] = {
    "AAPL": (230, 0.28), "ABBV": (180, 0.24), "AMD": (150, 0.50), "AMZN": (200, 0.33),
    "AVGO": (300, 0.45), "BAC": (45, 0.27), "COST": (900, 0.22), "CRM": (280, 0.35),
    "CSCO": (60, 0.22), "CVX": (150, 0.25), "DIS": (110, 0.28), "GOOGL": (180, 0.30),
    "HD": (380, 0.22), "INTC": (25, 0.45), "JNJ": (155, 0.17), "JPM": (240, 0.24),
    "KO": (68, 0.16), "LLY": (800, 0.35), "MA": (520, 0.21), "META": (600, 0.40),
    "MRK": (95, 0.24), "MSFT": (430, 0.25), "NFLX": (900, 0.40), "NKE": (75, 0.33),
    "NVDA": (140, 0.55), "ORCL": (170, 0.38), "PEP": (150, 0.18), "PFE": (27, 0.25),
    "PG": (165, 0.17), "T": (25, 0.22), "TSLA": (300, 0.60), "UNH": (500, 0.30),
    "V": (300, 0.20), "WMT": (85, 0.20), "XOM": (115, 0.25),
}  # fmt: skip
BENCHMARK = "SPY"
BENCHMARK_PROFILE = (580.0, 0.16)
UNIVERSE = tuple(PROFILES)
WALK_START = date(2022, 1, 3)
COMPACT_SESSIONS = 100
CLOSE_PUBLISHED_AT = time(16, 30)
TRADING_DAYS_PER_YEAR = 252
# Pull back towards the ticker's level, so prices wander like a market, not off to 0 or 10x.
MEAN_REVERSION = 0.01
# The levels in PROFILES are those of this date; the level drifts up 7 % a year (in logs),
# so the walk's 2022 sits about a quarter lower than its 2026, as markets went.
LEVEL_DATE = date(2026, 6, 1)
LEVEL_GROWTH = 0.07
DAYS_PER_YEAR = 365.25
OFFLINE_MODEL = "offline-scripted-picker"
OFFLINE_SOURCE_ID = "offline_synthetic"

# Splits on known dates, inside fortnights the tests record (tests/golden) and
# `run-week --date` can replay: the scripted picker picks these tickers on those Mondays.
SCHEDULED_SPLITS: tuple[CorporateAction, ...] = (
    CorporateAction("TSLA", "split", date(2026, 6, 3), Decimal(20)),
    CorporateAction("PG", "split", date(2026, 6, 9), Decimal("1.0460")),  # a spin-off
    CorporateAction("NVDA", "split", date(2025, 11, 26), Decimal("1.5")),
    CorporateAction("T", "split", date(2026, 3, 4), Decimal("0.1")),  # 1:10 reverse
)
# Quarterly cash dividends per share: (amount, month of the quarter 1-3, day of the month);
# the ex-date is the first session from that day. UNH's falls on a SELL of 2026-06-01's
# fortnight, XOM's on one of 2025-11-24's. SPY's is on the quarter's third Friday (or the
# next session, when that Friday is a holiday such as Juneteenth 2026).
DIVIDEND_PAYERS: dict[str, tuple[str, int, int]] = {
    "AAPL": ("0.26", 2, 10), "ABBV": ("1.64", 1, 15), "BAC": ("0.26", 3, 6),
    "CSCO": ("0.41", 1, 3), "CVX": ("1.71", 2, 18), "HD": ("2.30", 3, 4),
    "JNJ": ("1.30", 2, 24), "JPM": ("1.40", 1, 6), "KO": ("0.51", 3, 13),
    "MRK": ("0.81", 3, 15), "MSFT": ("0.83", 2, 20), "PEP": ("1.42", 3, 6),
    "PFE": ("0.43", 2, 7), "PG": ("1.06", 1, 21), "T": ("0.28", 1, 9),
    "UNH": ("2.21", 3, 8), "XOM": ("0.99", 2, 25),
}  # fmt: skip
BENCHMARK_DIVIDEND = "1.75"
QUARTER_FIRST_MONTHS = (1, 4, 7, 10)
# Dividends are listed once declared, weeks before their ex-date; splits here only once
# effective, so a small one (the spin-off factor) is found by the completion audit.
DECLARED_AHEAD = timedelta(days=21)


def _profile(symbol: str) -> tuple[float, float]:
    """A ticker's level and volatility: its own, SPY's, or (a constituent the random
    control may draw) one derived from its name, from $20 to $500 and 15 % to 55 % a year."""
    if symbol in PROFILES:
        return PROFILES[symbol]
    if symbol == BENCHMARK:
        return BENCHMARK_PROFILE
    spread = _seed("profile", symbol)
    return 20 + spread % 481, 0.15 + (spread >> 16) % 41 / 100


def _known(symbol: str) -> bool:
    """The scripted picker's tickers, SPY, and every constituent the control draws from."""
    return symbol in PROFILES or symbol == BENCHMARK or symbol in sp500_universe().tickers


def _refuse_on_lambda(what: str) -> None:
    if running_on_lambda():
        raise ConfigurationError(f"{what} is for local runs only; configure the real provider")


def _seed(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("|".join(parts).encode()).digest()[:8], "big")


@cache
def _sessions_through(last_day: date) -> tuple[date, ...]:
    days = (WALK_START + timedelta(days=n) for n in range((last_day - WALK_START).days + 1))
    return tuple(day for day in days if is_session(day))


def _next_session(day: date) -> date:
    while not is_session(day):
        day += timedelta(days=1)
    return day


def _third_friday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(4 - first.weekday()) % 7 + 14)


def _ex_dates(symbol: str, year: int) -> list[tuple[date, Decimal]]:
    if symbol == BENCHMARK:
        amount = Decimal(BENCHMARK_DIVIDEND)
        return [
            (_next_session(_third_friday(year, first + 2)), amount)
            for first in QUARTER_FIRST_MONTHS
        ]
    if symbol not in DIVIDEND_PAYERS:
        return []
    text, month, day = DIVIDEND_PAYERS[symbol]
    return [
        (_next_session(date(year, first + month - 1, day)), Decimal(text))
        for first in QUARTER_FIRST_MONTHS
    ]


@cache
def _actions(symbol: str, splits_through: date, dividends_through: date) -> CorporateActions:
    """The synthetic market's actions of `symbol` (deterministic)."""
    actions = [
        a for a in SCHEDULED_SPLITS if a.symbol == symbol and a.action_date <= splits_through
    ]
    for year in range(WALK_START.year, dividends_through.year + 1):
        actions.extend(
            CorporateAction(symbol, "dividend", ex_date, amount)
            for ex_date, amount in _ex_dates(symbol, year)
            if WALK_START < ex_date <= dividends_through
        )
    return CorporateActions.of(actions)


@cache
def _walk(symbol: str, last_day: date) -> dict[date, Decimal]:
    """A mean-reverting log-price walk around the ticker's drifting level, at its daily
    volatility, as unadjusted closes: a split divides the close by its factor, an
    ex-dividend day drops it by the dividend."""
    level, annual_volatility = _profile(symbol)
    rng = random.Random(_seed("walk", symbol))  # noqa: S311 - synthetic prices, not crypto
    daily_volatility = annual_volatility / math.sqrt(TRADING_DAYS_PER_YEAR)

    def anchor(day: date) -> float:
        return math.log(level) + LEVEL_GROWTH * (day - LEVEL_DATE).days / DAYS_PER_YEAR

    log_price = anchor(WALK_START) + rng.gauss(0.0, 0.1)
    actions = _actions(symbol, last_day, last_day)
    closes = {}
    previous = WALK_START
    for day in _sessions_through(last_day):
        log_price += MEAN_REVERSION * (anchor(day) - log_price) + rng.gauss(0.0, daily_volatility)
        shares = float(actions.split_factor(WALK_START, day))
        for action in actions.between(previous, day):
            if action.kind == "dividend":
                # The price (in the walk's original shares) drops by what is paid out.
                log_price = math.log(math.exp(log_price) - float(action.value) * shares)
        closes[day] = Decimal(f"{math.exp(log_price) / shares:.4f}")
        previous = day
    return closes


class SyntheticMarket:
    """Behaves like the compact daily series: the latest 100 sessions whose close is out."""

    name = "the synthetic offline market"
    source_id = OFFLINE_SOURCE_ID
    offline = True

    def __init__(self, now: Callable[[], datetime], *, premium: bool = False) -> None:
        _refuse_on_lambda("the synthetic market")
        self._now = now
        # As Alpha Vantage: SPLITS and DIVIDENDS, or (premium) the adjusted series alone.
        self.calls_per_look_up = 1 if premium else 2

    def daily_closes(self, symbol: str) -> DailySeries:
        if not _known(symbol):
            raise MarketDataUnknownSymbol(symbol, "not in the synthetic market's universe")
        now = self._now()
        today = market_date(now)
        published_through = (
            today if now >= market_instant_utc(today, CLOSE_PUBLISHED_AT) else today - timedelta(1)
        )
        series = _walk(symbol, published_through)
        return DailySeries(closes=dict(list(series.items())[-COMPACT_SESSIONS:]))

    def corporate_actions(self, symbol: str) -> ActionSeries:
        """Every action up to the latest published session, and dividends declared for the
        weeks ahead (as a real provider lists an announced ex-date)."""
        if not _known(symbol):
            raise MarketDataUnknownSymbol(symbol, "not in the synthetic market's universe")
        today = market_date(self._now())
        return ActionSeries(_actions(symbol, today, today + DECLARED_AHEAD))


class ScriptedPicker:
    """Deterministic picks for a run date, from the synthetic market's universe."""

    offline = True

    def __init__(self, variant: str = "") -> None:
        """`variant` gives another contender picks of its own for the same Monday."""
        _refuse_on_lambda("the scripted picker")
        self._seed_parts = ("picks", variant) if variant else ("picks",)
        # Each variant is a "model" of its own, so the track record keeps them apart.
        self.model = f"{OFFLINE_MODEL}:{variant}" if variant else OFFLINE_MODEL

    def pick(self, request: PickRequest, check_ticker: TickerCheck) -> PickerResult:
        rng = random.Random(_seed(*self._seed_parts, request.run_date.isoformat()))  # noqa: S311
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
            model=self.model,
            prompt_version=PROMPT_VERSION,
            attempts=(PickerAttempt(raw_output=raw_output, problems=tuple(problems)),),
        )
