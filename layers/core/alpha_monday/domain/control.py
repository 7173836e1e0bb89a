"""The random control: picks drawn at random from the same market, scored like a model's.

Anyone can draw it again from what is published (docs/arena.md): the seed is fixed by the
Monday alone (no operator can draw until a control looks bad), the draw order ranks every
ticker of the published universe by SHA-256 of seed and ticker, and the first tickers the
market knows are taken, as many as the first model entry's picks, BUY for as many as it
bought and SELL for the rest. A ticker the market does not know is passed over (recorded in
`redrawn`) and the next one in the order taken, up to MAX_REDRAWN of them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from alpha_monday.domain.model import ControlDraw, NewPick, PickAction

SEED_PREFIX = "alpha-monday-control:"
SEED_HEX_DIGITS = 16
# Real constituents are all known to the market: more unknown ones than this means the
# market data source is failing, and every further try would spend a call of the budget.
MAX_REDRAWN = 5


@dataclass(frozen=True)
class Universe:
    """The list the control is drawn from, and what a reader needs to find the same list."""

    name: str
    as_of: date
    tickers: tuple[str, ...]


def control_seed(run_date: date) -> str:
    """The seed of a Monday's draw: the first 16 hex digits of SHA-256 of
    `alpha-monday-control:<run_date>`."""
    digest = hashlib.sha256(f"{SEED_PREFIX}{run_date.isoformat()}".encode()).hexdigest()
    return digest[:SEED_HEX_DIGITS]


def draw_order(seed: str, tickers: Sequence[str]) -> list[str]:
    """Every ticker once, ranked by the hex SHA-256 of `<seed>:<ticker>` (ties, which
    SHA-256 makes practically impossible, by ticker)."""
    rank = {t: hashlib.sha256(f"{seed}:{t}".encode()).hexdigest() for t in set(tickers)}
    return sorted(rank, key=lambda t: (rank[t], t))


def mix_of(actions: Sequence[PickAction]) -> tuple[PickAction, ...]:
    """The BUY/SELL mix to copy: as many BUYs as there are, then the SELLs."""
    buys = sum(1 for action in actions if action == "BUY")
    buy: tuple[PickAction, ...] = ("BUY",)
    sell: tuple[PickAction, ...] = ("SELL",)
    return buy * buys + sell * (len(actions) - buys)


@dataclass(frozen=True)
class ControlPick:
    ticker: str
    action: PickAction
    rank: int  # 1-based place in the draw order


@dataclass(frozen=True)
class DrawnControl:
    """The draw and its picks; or, when the market knew too few of the tickers tried, no
    picks and why (the week goes on without a control, saying so)."""

    draw: ControlDraw
    picks: tuple[ControlPick, ...]
    error: str | None = None

    def new_picks(self, initial_price: Callable[[str], object]) -> tuple[NewPick, ...]:
        """The control's picks as stored, with the reasoning that says how each was drawn."""
        return tuple(
            NewPick(
                ticker=pick.ticker,
                action=pick.action,
                reasoning=(
                    f"Random control: number {pick.rank} in the draw order of seed "
                    f"{self.draw.seed} over {self.draw.universe} (as of "
                    f"{self.draw.universe_as_of.isoformat()}); {pick.action} copies the "
                    "first model entry's BUY/SELL mix. Not an opinion."
                ),
                initial_price=initial_price(pick.ticker),
            )
            for pick in self.picks
        )


def draw_control(
    run_date: date,
    universe: Universe,
    mix: Sequence[PickAction],
    *,
    benchmark: str,
    known: Callable[[str], bool],
) -> DrawnControl:
    """The control of `run_date`: `len(mix)` tickers the market knows, in draw order, with
    the actions of `mix` in that order. `known(ticker)` asks the market (a baseline close);
    after MAX_REDRAWN unknown tickers the draw stops without picks."""
    seed = control_seed(run_date)
    chosen: list[ControlPick] = []
    redrawn: list[str] = []
    for rank, ticker in enumerate(draw_order(seed, universe.tickers), start=1):
        if len(chosen) == len(mix) or len(redrawn) > MAX_REDRAWN:
            break
        if ticker == benchmark:
            continue
        if not known(ticker):
            redrawn.append(ticker)
            continue
        chosen.append(ControlPick(ticker, mix[len(chosen)], rank))
    draw = ControlDraw(
        seed=seed, universe=universe.name, universe_as_of=universe.as_of, redrawn=tuple(redrawn)
    )
    if len(chosen) < len(mix):
        return DrawnControl(
            draw,
            (),
            f"ControlDrawFailed: the market did not know {len(redrawn)} of the tickers drawn "
            f"(at most {MAX_REDRAWN} are passed over); no control this week",
        )
    return DrawnControl(draw, tuple(chosen))
