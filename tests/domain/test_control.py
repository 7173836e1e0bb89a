"""The random control's draw: fixed by the Monday, repeatable by anyone, never re-rolled."""

from __future__ import annotations

import hashlib
from datetime import date

from alpha_monday.domain.control import (
    MAX_REDRAWN,
    Universe,
    control_seed,
    draw_control,
    draw_order,
    mix_of,
)

MONDAY = date(2026, 6, 1)
UNIVERSE = Universe("a test list", date(2026, 3, 9), ("AAA", "BBB", "CCC", "DDD", "EEE", "SPY"))


def _independent_order(seed: str, tickers: tuple[str, ...]) -> list[str]:
    """docs/arena.md's recipe, written out again."""
    return sorted(tickers, key=lambda t: hashlib.sha256(f"{seed}:{t}".encode()).hexdigest())


def test_the_seed_is_the_documented_hash_of_the_monday_alone() -> None:
    # When the seed of a Monday is taken twice
    seed = control_seed(MONDAY)
    # Then it is the first 16 hex digits of SHA-256("alpha-monday-control:2026-06-01")
    assert seed == hashlib.sha256(b"alpha-monday-control:2026-06-01").hexdigest()[:16]
    assert control_seed(MONDAY) == seed != control_seed(date(2026, 6, 8))


def test_the_draw_order_ranks_every_ticker_once_by_its_hash() -> None:
    order = draw_order("0123456789abcdef", UNIVERSE.tickers)
    assert order == _independent_order("0123456789abcdef", UNIVERSE.tickers)
    assert sorted(order) == sorted(UNIVERSE.tickers)


def test_the_mix_keeps_the_number_of_buys_and_sells() -> None:
    assert mix_of(["SELL", "BUY", "BUY"]) == ("BUY", "BUY", "SELL")
    assert mix_of(["SELL", "SELL"]) == ("SELL", "SELL")


def test_the_control_takes_the_first_known_tickers_and_records_those_passed_over() -> None:
    # Given a market that does not know the second ticker of the draw order
    order = [t for t in _independent_order(control_seed(MONDAY), UNIVERSE.tickers) if t != "SPY"]
    unknown = order[1]
    # When the control is drawn with a model's mix of two BUYs and a SELL
    drawn = draw_control(
        MONDAY, UNIVERSE, ("BUY", "BUY", "SELL"), benchmark="SPY", known=lambda t: t != unknown
    )
    # Then it holds the first three known tickers in order, BUY, BUY, SELL, never the
    # benchmark, and says which ticker it passed over
    assert [(p.ticker, p.action) for p in drawn.picks] == [
        (order[0], "BUY"),
        (order[2], "BUY"),
        (order[3], "SELL"),
    ]
    assert drawn.draw.redrawn == (unknown,)
    assert drawn.draw.seed == control_seed(MONDAY)
    assert (drawn.draw.universe, drawn.draw.universe_as_of) == ("a test list", date(2026, 3, 9))


def test_each_control_pick_says_how_it_was_drawn() -> None:
    drawn = draw_control(MONDAY, UNIVERSE, ("SELL",), benchmark="SPY", known=lambda _: True)
    (pick,) = drawn.new_picks(lambda _: 100)
    assert pick.action == "SELL"
    assert control_seed(MONDAY) in pick.reasoning
    assert "Random control" in pick.reasoning


def test_a_market_that_knows_too_few_tickers_stops_the_draw_without_picks() -> None:
    # Given a market that knows none of a large universe (its data source failing)
    tickers = tuple(f"T{n:03d}" for n in range(100))
    asked: list[str] = []

    def unknown(ticker: str) -> bool:
        asked.append(ticker)
        return False

    # When the control is drawn
    drawn = draw_control(
        MONDAY, Universe("big", date(2026, 3, 9), tickers), ("BUY",), benchmark="SPY",
        known=unknown,
    )  # fmt: skip
    # Then it stopped after MAX_REDRAWN + 1 tries (each costs a call), without picks, saying why
    assert len(asked) == MAX_REDRAWN + 1
    assert drawn.picks == ()
    assert drawn.error is not None
    assert drawn.error.startswith("ControlDrawFailed")
    assert drawn.draw.redrawn == tuple(asked)
