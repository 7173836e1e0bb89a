"""Splits and cash dividends: what turns an unadjusted close into a total return.

Alpha Vantage's TIME_SERIES_DAILY is unadjusted: a 2:1 split halves the close overnight
and an ex-dividend day drops it by the dividend. A batch counts the actions whose date lies
after its baseline date and on or before the day scored (docs/scoring.md):

- a split (forward, reverse or a spin-off's factor) divides the baseline, and every
  dividend paid before it, by its factor from its effective date on;
- a dividend adds its amount per share to the close (not reinvested).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

ActionKind = Literal["split", "dividend"]


@dataclass(frozen=True)
class CorporateAction:
    """A split (`value` = shares after per share before: 20 for 20:1, 0.1 for 1:10, 1.046
    for IBM's spin-off) or a cash dividend (`value` = amount per share), on its effective
    date or ex-date."""

    symbol: str
    kind: ActionKind
    action_date: date
    value: Decimal


@dataclass(frozen=True)
class CorporateActions:
    """A symbol's known actions, in date order."""

    actions: tuple[CorporateAction, ...] = ()

    @classmethod
    def of(cls, actions: Iterable[CorporateAction]) -> CorporateActions:
        unique = {(a.kind, a.action_date): a for a in actions}
        return cls(tuple(sorted(unique.values(), key=lambda a: (a.action_date, a.kind))))

    def between(self, after: date, through: date) -> tuple[CorporateAction, ...]:
        """The actions dated in (after, through]."""
        return tuple(a for a in self.actions if after < a.action_date <= through)

    def split_factor(self, after: date, through: date) -> Decimal:
        """How many shares one share held at `after` had become by `through`."""
        factor = Decimal(1)
        for action in self.between(after, through):
            if action.kind == "split":
                factor *= action.value
        return factor

    def dividends_per_share(self, after: date, through: date) -> Decimal:
        """The cash paid in (after, through] per share as of `through` (each dividend
        divided by the splits effective after its ex-date)."""
        return sum(
            (
                action.value / self.split_factor(action.action_date, through)
                for action in self.between(after, through)
                if action.kind == "dividend"
            ),
            Decimal(0),
        )

    def growth(self, earlier: tuple[date, Decimal], later: tuple[date, Decimal]) -> Decimal:
        """What one share at the earlier close became by the later one, as a ratio: the
        later close plus the cash paid since, in the earlier close's shares."""
        (earlier_day, earlier_close), (later_day, later_close) = earlier, later
        factor = self.split_factor(earlier_day, later_day)
        paid = self.dividends_per_share(earlier_day, later_day)
        return (later_close + paid) * factor / earlier_close

    def merged(self, other: CorporateActions) -> CorporateActions:
        return CorporateActions.of([*self.actions, *other.actions])
