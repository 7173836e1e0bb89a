"""A move is published only once it is explained (docs/scoring.md, "Unexplained moves").

Against its last published close, a close that moved beyond the bound either way, or that
sits near a split-like ratio p:q, is checked against the provider's corporate actions; what
the actions do not explain is held back and decided by the next sessions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

DEFAULT_BOUND = Decimal("0.25")
DEFAULT_RATIO_TOLERANCE = Decimal("0.01")
MAX_RATIO_TERM = 20
# Ratios this close to 1:1 are ordinary daily moves (20:19 is a 5.3 %, 11:10 a 10 % move),
# not a split's signature: the default set leaves them out, so that a volatile stock's 10 %
# day is not held back; 6:5 and 7:6 stay in.
MIN_SPLIT_LIKE_MOVE = Decimal("0.15")


def split_like_ratios(
    max_term: int = MAX_RATIO_TERM, min_move: Decimal = MIN_SPLIT_LIKE_MOVE
) -> tuple[Fraction, ...]:
    """Every p:q with p, q <= `max_term` whose price ratio q/p is at least `min_move` from 1."""
    ratios = {
        Fraction(p, q)
        for p in range(1, max_term + 1)
        for q in range(1, max_term + 1)
        if abs(Decimal(q) / Decimal(p) - 1) >= min_move
    }
    return tuple(sorted(ratios))


def parse_ratios(text: str) -> tuple[Fraction, ...]:
    """A setting's "20:1,3:2,1:8" as ratios (ValueError on anything else)."""
    ratios = []
    for item in text.split(","):
        p, sep, q = item.strip().partition(":")
        if not sep or not p.isdigit() or not q.isdigit() or int(p) < 1 or int(q) < 1:
            raise ValueError(f"{item.strip()!r} is not a ratio p:q of whole numbers")
        if p == q:
            raise ValueError(f"{item.strip()!r} is no move at all")
        ratios.append(Fraction(int(p), int(q)))
    return tuple(sorted(set(ratios)))


@dataclass(frozen=True)
class MoveRule:
    """When a close must be explained before it is published."""

    bound: Decimal = DEFAULT_BOUND
    ratios: tuple[Fraction, ...] = field(default_factory=split_like_ratios)
    tolerance: Decimal = DEFAULT_RATIO_TOLERANCE

    def needs_explaining(self, growth: Decimal) -> bool:
        """`growth` is the later close over the earlier one, in the same shares (1 = flat)."""
        if abs(growth - 1) > self.bound:
            return True
        # A price ratio of q/p is what a p:q split does to the close.
        return any(
            abs(growth * Decimal(r.numerator) / Decimal(r.denominator) - 1) <= self.tolerance
            for r in self.ratios
        )

    def describe(self) -> str:
        return (
            f"moves beyond {self.bound * 100:g} % or within {self.tolerance * 100:g} % of a "
            f"split-like ratio ({len(self.ratios)} ratios p:q)"
        )
