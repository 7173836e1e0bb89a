"""Closes through the shared cache, fetched by the real Alpha Vantage client over HTTP from a
local imitation of the service: final closes only, sane prices only, one source at a time."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import psycopg
import pytest

from alpha_monday.db.call_budget import calls_per_day
from alpha_monday.db.connection import get_connection
from alpha_monday.db.corporate_actions import PostgresActionCache
from alpha_monday.db.prices import PostgresPriceCache
from alpha_monday.domain.errors import (
    MarketDataError,
    MarketDataInvalidClose,
    MarketDataNotReady,
    MarketDataRateLimited,
    MarketDataUnavailable,
)
from alpha_monday.domain.market_data import MarketData
from alpha_monday.domain.market_time import MARKET_TIMEZONE
from alpha_monday.integrations.alpha_vantage import AlphaVantageSource
from alpha_monday.integrations.rate_limit import CallLimiter
from tests.fake_alpha_vantage import INTRADAY_DISCOUNT, FakeAlphaVantage, serving
from tests.fakes import AV_KEY_REFUSED, daily_series_payload

WEDNESDAY = date(2026, 11, 18)
THURSDAY = date(2026, 11, 19)
FRIDAY = date(2026, 11, 20)
CLOSES = {
    "SPY": {WEDNESDAY: "655.2000", THURSDAY: "660.1000", FRIDAY: "662.5000"},
    "AAPL": {WEDNESDAY: "265.0000", THURSDAY: "266.2500", FRIDAY: "268.5600"},
    "MSFT": {WEDNESDAY: "481.0000", THURSDAY: "480.0000", FRIDAY: "478.4000"},
}
MARGIN = timedelta(minutes=30)


def new_york(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=MARKET_TIMEZONE)


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(new_york(FRIDAY, 18, 0))


@pytest.fixture
def alpha_vantage(clock: Clock) -> Iterator[FakeAlphaVantage]:
    with serving(FakeAlphaVantage(closes=CLOSES, now=clock)) as fake:
        yield fake


MarketFactory = Callable[..., MarketData]


@pytest.fixture
def market(database_url: str, alpha_vantage: FakeAlphaVantage, clock: Clock) -> MarketFactory:
    def build(
        daily_limit: int = 25,
        *,
        premium: bool = False,
        on_look_up_failed: Callable[[str, MarketDataError], None] = lambda symbol, error: None,
    ) -> MarketData:
        limiter = CallLimiter(
            get_connection,
            "alpha_vantage",
            daily_limit,
            0,
            sleep=lambda _: None,
            today=lambda: clock.now.date(),  # noqa: PLW0108 - the clock moves
        )
        source = AlphaVantageSource("sentinel-key", 5, base_url=alpha_vantage.url, premium=premium)
        return MarketData(
            PostgresPriceCache(get_connection),
            source,
            limiter,
            now=clock,
            final_margin=MARGIN,
            action_cache=PostgresActionCache(get_connection),
            on_look_up_failed=on_look_up_failed,
        )

    return build


def _stored(conn: psycopg.Connection, symbol: str) -> dict[date, tuple[Decimal, datetime]]:
    rows = conn.execute(
        "SELECT trading_date, close, fetched_at FROM prices WHERE symbol = %s", (symbol,)
    ).fetchall()
    return {day: (close, fetched_at) for day, close, fetched_at in rows}


@pytest.mark.parametrize(
    "case",
    [
        (THURSDAY, 12, 0, THURSDAY, False),  # the session is open: the bar is the last trade
        (THURSDAY, 16, 10, THURSDAY, False),  # closed, but within the margin
        (THURSDAY, 16, 45, THURSDAY, True),
        (FRIDAY, 12, 0, THURSDAY, True),  # the day after: Thursday's close is final
        (FRIDAY, 12, 0, FRIDAY, False),
        (FRIDAY, 16, 10, FRIDAY, False),
        (FRIDAY, 16, 45, FRIDAY, True),
    ],
)
def test_a_close_is_stored_and_used_only_once_its_session_is_over(
    market: MarketFactory,
    conn: psycopg.Connection,
    clock: Clock,
    case: tuple[date, int, int, date, bool],
) -> None:
    # Given the clock at the fetch time, New York
    fetch_day, hour, minute, asked, final = case
    clock.now = new_york(fetch_day, hour, minute)
    # When the close of the asked date is read through the real client
    if final:
        close = market().close("AAPL", asked)
        # Then the day's final close is returned and stored with the instant that proves it
        assert close == Decimal(CLOSES["AAPL"][asked])
        stored_close, fetched_at = _stored(conn, "AAPL")[asked]
        assert stored_close == close
        assert fetched_at == clock.now
    else:
        with pytest.raises(MarketDataNotReady, match="AAPL"):
            market().close("AAPL", asked)
        # Then nothing is stored for it (an intraday bar is never cached)
        assert asked not in _stored(conn, "AAPL")
    # And every stored row was fetched after its own session's close plus the margin
    for day, (_, fetched_at) in _stored(conn, "AAPL").items():
        assert fetched_at >= new_york(day, 16, 30)
    # And no intraday value ever reached the cache
    intraday = {Decimal(c) - INTRADAY_DISCOUNT for c in CLOSES["AAPL"].values()}
    assert not intraday & {close for close, _ in _stored(conn, "AAPL").values()}


def test_the_database_refuses_a_close_fetched_before_its_session_ended(
    conn: psycopg.Connection,
) -> None:
    with pytest.raises(psycopg.errors.CheckViolation, match="prices_close_is_final"):
        conn.execute(
            "INSERT INTO prices (source, symbol, trading_date, close, fetched_at)"
            " VALUES ('alpha_vantage', 'AAPL', %s, 1, %s)",
            (FRIDAY, new_york(FRIDAY, 15, 59)),
        )


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-Infinity", "0", "-1"])
def test_the_database_refuses_an_insane_close(conn: psycopg.Connection, bad: str) -> None:
    with pytest.raises(psycopg.errors.CheckViolation, match="prices_close_is_sane"):
        conn.execute(
            "INSERT INTO prices (source, symbol, trading_date, close, fetched_at)"
            " VALUES ('alpha_vantage', 'AAPL', %s, %s::numeric, %s)",
            (THURSDAY, bad, new_york(FRIDAY, 18, 0)),
        )


def test_first_read_fetches_each_symbol_once_and_caches_every_final_close(
    market: MarketFactory, alpha_vantage: FakeAlphaVantage, conn: psycopg.Connection
) -> None:
    # When three symbols (one repeated) are read for Friday, after its close
    session = market().session_closes(["SPY", "AAPL", "MSFT", "AAPL"], FRIDAY)
    # Then each symbol was fetched once
    assert session.closes == {
        "SPY": Decimal("662.5000"),
        "AAPL": Decimal("268.5600"),
        "MSFT": Decimal("478.4000"),
    }
    assert sorted(alpha_vantage.calls()) == ["AAPL", "MSFT", "SPY"]
    assert calls_per_day(conn, "alpha_vantage") == {FRIDAY: 3}
    # And a second read, of the same or an earlier date, makes no call
    market().session_closes(["SPY", "AAPL"], FRIDAY)
    assert market().close("SPY", THURSDAY) == Decimal("660.1000")
    assert len(alpha_vantage.calls()) == 3


def test_reads_never_mix_sources(
    market: MarketFactory, alpha_vantage: FakeAlphaVantage, conn: psycopg.Connection
) -> None:
    # Given an offline synthetic close cached for Friday
    conn.execute(
        "INSERT INTO prices (source, symbol, trading_date, close, fetched_at)"
        " VALUES ('offline_synthetic', 'AAPL', %s, 999, %s)",
        (FRIDAY, new_york(FRIDAY, 18, 0)),
    )
    # When the real source is asked for it
    # Then the real close is fetched, not the synthetic one reused
    assert market().close("AAPL", FRIDAY) == Decimal("268.5600")
    assert alpha_vantage.calls() == ["AAPL"]


def test_a_date_older_than_the_series_is_unavailable(market: MarketFactory) -> None:
    with pytest.raises(MarketDataUnavailable, match="older than the 3 sessions"):
        market().close("AAPL", date(2026, 1, 2))


def test_an_unknown_symbol_is_listed_and_the_others_are_returned(market: MarketFactory) -> None:
    session = market().session_closes(["SPY", "NOPE"], FRIDAY)
    assert session.closes == {"SPY": Decimal("662.5000")}
    assert set(session.unknown) == {"NOPE"}


def test_a_spent_budget_raises_rate_limited_without_calling(
    market: MarketFactory, alpha_vantage: FakeAlphaVantage
) -> None:
    # Given a daily budget of 2 calls, spent
    limited = market(daily_limit=2)
    limited.session_closes(["SPY", "AAPL"], FRIDAY)
    # When a third symbol needs a call
    with pytest.raises(MarketDataRateLimited, match="daily budget of 2 alpha_vantage calls"):
        limited.close("MSFT", FRIDAY)
    # Then the source was never asked for it
    assert "MSFT" not in alpha_vantage.calls()


def _body_with(symbol: str, bars: dict[str, object]) -> bytes:
    payload = daily_series_payload(symbol, {})
    payload["Time Series (Daily)"] = {
        day: {"1. open": "1", "4. close": close} for day, close in bars.items()
    }
    return json.dumps(payload).encode()


def test_a_bad_row_for_another_date_is_dropped_with_an_event_and_the_fetch_succeeds(
    market: MarketFactory, alpha_vantage: FakeAlphaVantage, conn: psycopg.Connection
) -> None:
    # Given a series whose Wednesday close is NaN
    alpha_vantage.scripted["AAPL"] = [
        _body_with("AAPL", {"2026-11-18": "NaN", "2026-11-19": "266.2500", "2026-11-20": "268.56"})
    ]
    # When Friday's close is read
    assert market().close("AAPL", FRIDAY) == Decimal("268.56")
    # Then the bad row was not stored, and an event says why
    assert WEDNESDAY not in _stored(conn, "AAPL")
    rows = conn.execute("SELECT payload FROM events WHERE event_type = 'price_rejected'").fetchall()
    assert [row[0]["trading_date"] for row in rows] == ["2026-11-18"]
    assert "not a finite number" in rows[0][0]["reason"]


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("0", "not a positive price"),
        ("-3.5", "not a positive price"),
        ("NaN", "not a finite number"),
        ("Infinity", "not a finite number"),
        ("1E+100000", "beyond the sane bound"),
        (268.56, "JSON float, not decimal text"),
        ("2.6856e2", "not plain decimal text"),
    ],
)
def test_a_bad_close_for_the_asked_date_is_refused_then_a_later_good_answer_is_used(
    market: MarketFactory,
    alpha_vantage: FakeAlphaVantage,
    conn: psycopg.Connection,
    raw: object,
    why: str,
) -> None:
    # Given the source first sends a bad Friday close, then the good one
    alpha_vantage.scripted["AAPL"] = [_body_with("AAPL", {"2026-11-20": raw})]
    # When Friday's close is read, it is refused with a named error and nothing is stored
    with pytest.raises(MarketDataInvalidClose, match=why):
        market().close("AAPL", FRIDAY)
    assert _stored(conn, "AAPL") == {}
    # And the next read gets (and stores) the good close
    assert market().close("AAPL", FRIDAY) == Decimal("268.5600")


def test_a_date_sent_twice_is_refused(
    market: MarketFactory, alpha_vantage: FakeAlphaVantage
) -> None:
    body = (
        b'{"Time Series (Daily)": {"2026-11-20": {"4. close": "268.56"},'
        b' "2026-11-20": {"4. close": "134.28"}}}'
    )
    alpha_vantage.scripted["AAPL"] = [body]
    with pytest.raises(MarketDataInvalidClose, match="sent more than once"):
        market().close("AAPL", FRIDAY)


AAPL_SPLITS = [
    {"effective_date": "2020-08-31", "split_factor": "4.0000"},
    {"effective_date": "None", "split_factor": "2.0000"},
]
AAPL_DIVIDENDS = [
    {
        "ex_dividend_date": "2026-11-20",
        "declaration_date": "2026-10-30",
        "record_date": "2026-11-20",
        "payment_date": "2026-11-27",
        "amount": "0.26",
    }
]


def test_corporate_actions_are_looked_up_once_a_day_cached_and_shared(
    market: MarketFactory, alpha_vantage: FakeAlphaVantage, conn: psycopg.Connection, clock: Clock
) -> None:
    # Given AAPL's splits (one row without a date) and dividends at the provider
    alpha_vantage.splits["AAPL"] = AAPL_SPLITS
    alpha_vantage.dividends["AAPL"] = AAPL_DIVIDENDS
    first = market()
    # When two batches' steps look AAPL up on the same day
    found = first.look_up("AAPL")
    again = market().look_up("AAPL")
    # Then the provider was asked once per endpoint, both see the same actions, the dateless
    # split is dropped with an event, and the shared budget counted the two calls
    assert alpha_vantage.calls("SPLITS") == ["AAPL"]
    assert alpha_vantage.calls("DIVIDENDS") == ["AAPL"]
    assert found == again
    assert [(a.kind, a.action_date, a.value) for a in found.actions] == [
        ("split", date(2020, 8, 31), Decimal("4.0000")),
        ("dividend", date(2026, 11, 20), Decimal("0.26")),
    ]
    (rejected,) = conn.execute(
        "SELECT payload FROM events WHERE event_type = 'corporate_action_rejected'"
    ).fetchall()
    assert "no effective_date" in rejected[0]["reason"]
    assert sum(calls_per_day(conn, "alpha_vantage").values()) == 2
    # When the next day comes, a look-up asks again
    clock.now += timedelta(days=1)
    market().look_up("AAPL")
    assert alpha_vantage.calls("SPLITS") == ["AAPL", "AAPL"]


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (
            {"Information": "our standard API rate limit is 25 requests per day."},
            "MarketDataRateLimited",
        ),
        (AV_KEY_REFUSED, "MarketDataKeyRefused"),
        ({}, "MarketDataUnavailable"),
    ],
)
def test_a_failed_look_up_keeps_what_is_known_and_is_tried_again(
    market: MarketFactory,
    alpha_vantage: FakeAlphaVantage,
    conn: psycopg.Connection,
    body: dict[str, str],
    error: str,
) -> None:
    # Given a notice, the key refusal or an empty body as the SPLITS answer
    alpha_vantage.scripted["AAPL"] = [json.dumps(body).encode()]
    failures: list[str] = []
    source = market(on_look_up_failed=lambda symbol, error: failures.append(type(error).__name__))
    # When AAPL is looked up, then again the same day
    assert source.look_up("AAPL").actions == ()
    source.look_up("AAPL")
    # Then the failure was reported, nothing cached, and the second look-up asked again
    assert failures == [error]
    assert len(alpha_vantage.calls("SPLITS")) == 2


def test_a_premium_key_brings_the_actions_with_the_closes_in_one_call(
    market: MarketFactory, alpha_vantage: FakeAlphaVantage
) -> None:
    alpha_vantage.dividends["AAPL"] = AAPL_DIVIDENDS
    premium = market(premium=True)
    assert premium.close("AAPL", FRIDAY) == Decimal("268.5600")
    actions = premium.look_up("AAPL")
    assert [(a.kind, a.action_date) for a in actions.actions] == [("dividend", FRIDAY)]
    assert alpha_vantage.calls("TIME_SERIES_DAILY_ADJUSTED") == ["AAPL"]
    assert alpha_vantage.calls("SPLITS") == alpha_vantage.calls("DIVIDENDS") == []
