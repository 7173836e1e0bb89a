"""Offline providers: deterministic, realistic in shape, loud, and refused on Lambda."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from alpha_monday.domain.calendar import is_session
from alpha_monday.domain.errors import ConfigurationError, MarketDataUnknownSymbol
from alpha_monday.domain.picks import PickRequest
from alpha_monday.integrations.offline import ScriptedPicker, SyntheticMarket
from tests.fakes import accept_all, tickers_rejected

TUESDAY_EVENING = datetime(2026, 11, 24, 23, 0, tzinfo=UTC)  # 18:00 in New York
TUESDAY_NOON = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)  # 12:00 in New York
REQUEST = PickRequest(
    run_date=date(2026, 11, 23), baseline_date=date(2026, 11, 20), benchmark_symbol="SPY"
)


def test_synthetic_series_is_compact_sessions_only_and_deterministic() -> None:
    market = SyntheticMarket(now=lambda: TUESDAY_EVENING)
    series = market.daily_closes("AAPL").closes
    assert len(series) == 100
    assert all(is_session(day) for day in series)
    assert max(series) == date(2026, 11, 24)
    assert date(2026, 11, 26) not in series  # Thanksgiving
    assert SyntheticMarket(now=lambda: TUESDAY_EVENING).daily_closes("AAPL").closes == series
    assert market.daily_closes("MSFT").closes != series


def test_a_close_appears_only_after_it_is_published() -> None:
    series = SyntheticMarket(now=lambda: TUESDAY_NOON).daily_closes("SPY").closes
    assert max(series) == date(2026, 11, 23)


def test_history_does_not_change_as_time_passes() -> None:
    earlier = SyntheticMarket(now=lambda: TUESDAY_NOON).daily_closes("NVDA").closes
    later = SyntheticMarket(now=lambda: TUESDAY_EVENING).daily_closes("NVDA").closes
    assert later[date(2026, 11, 20)] == earlier[date(2026, 11, 20)]


# T trades near 220 after its scheduled 1:10 reverse split of 2026-03-04.
@pytest.mark.parametrize(
    ("symbol", "low", "high"), [("SPY", 450, 750), ("PFE", 15, 40), ("T", 150, 400)]
)
def test_synthetic_prices_sit_near_the_tickers_real_level(
    symbol: str, low: float, high: float
) -> None:
    closes = SyntheticMarket(now=lambda: TUESDAY_EVENING).daily_closes(symbol).closes
    assert all(low < close < high for close in closes.values())


def test_synthetic_daily_moves_are_near_real_volatility() -> None:
    closes = list(SyntheticMarket(now=lambda: TUESDAY_EVENING).daily_closes("SPY").closes.values())
    moves = [abs(b / a - 1) for a, b in itertools.pairwise(closes)]
    # SPY moves about 1 % a day (16 % a year); never the 2-4 % of a random toy
    assert 0.004 < float(sum(moves)) / len(moves) < 0.015
    assert max(moves) < 0.06


def test_unknown_symbols_are_rejected_like_the_real_source() -> None:
    with pytest.raises(MarketDataUnknownSymbol):
        SyntheticMarket(now=lambda: TUESDAY_EVENING).daily_closes("ZZZZ")


def test_scripted_picks_are_valid_deterministic_and_labelled() -> None:
    first = ScriptedPicker().pick(REQUEST, accept_all)
    assert first == ScriptedPicker().pick(REQUEST, accept_all)
    assert len({p.ticker for p in first.picks.picks}) == 3
    assert all("[offline scripted pick]" in p.reasoning for p in first.picks.picks)
    assert first.model == "offline-scripted-picker"


def test_scripted_picker_skips_tickers_the_market_rejects() -> None:
    chosen = [p.ticker for p in ScriptedPicker().pick(REQUEST, accept_all).picks.picks]
    result = ScriptedPicker().pick(REQUEST, tickers_rejected(chosen[0]))
    assert chosen[0] not in [p.ticker for p in result.picks.picks]
    assert result.attempts[0].problems == (f"{chosen[0]}: unknown to the market data source",)


def test_offline_providers_refuse_to_run_on_lambda(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "alpha-monday-generate-picks")
    with pytest.raises(ConfigurationError, match="local runs only"):
        SyntheticMarket(now=lambda: TUESDAY_EVENING)
    with pytest.raises(ConfigurationError, match="local runs only"):
        ScriptedPicker()


def test_synthetic_levels_follow_a_plausible_path_over_the_whole_range() -> None:
    # Given the walk seen in mid-2022 and in mid-2026: its level drifts up, as markets went,
    # instead of today's level in 2022 (SPY was about 400-470 in 2022, about 580 in 2026)
    def mean_close(year: int) -> Decimal:
        seen = SyntheticMarket(now=lambda: datetime(year, 6, 30, 22, tzinfo=UTC))
        closes = list(seen.daily_closes("SPY").closes.values())
        return sum(closes, Decimal(0)) / len(closes)

    early, late = mean_close(2022), mean_close(2026)
    assert 350 < early < 500
    assert 500 < late < 700
    assert late / early > Decimal("1.15")
