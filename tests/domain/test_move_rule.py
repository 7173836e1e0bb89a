"""Which moves must be explained before they are published: the bound and the ratios."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from alpha_monday.domain.moves import MoveRule, parse_ratios, split_like_ratios

D = Decimal


@pytest.mark.parametrize(
    ("growth", "explain"),
    [
        ("1.04", False),  # an ordinary day
        ("0.96", False),
        ("1.30", True),  # beyond the 25 % bound
        ("0.05", True),  # 20:1 (Amazon, Alphabet 2022)
        ("0.6667", True),  # 3:2
        ("8.0", True),  # 1:8 reverse
        ("20.1", True),  # 1:20 reverse with a move
        ("0.8333", True),  # 6:5, inside the bound but split-like
        ("0.00000000006", True),  # the 1E-8 close
    ],
)
def test_the_default_rule_questions_big_and_split_like_moves(growth: str, explain: bool) -> None:
    assert MoveRule().needs_explaining(D(growth)) is explain


def test_the_default_ratios_are_every_p_q_up_to_20_at_least_15_percent_from_one() -> None:
    ratios = split_like_ratios()
    assert {Fraction(20, 1), Fraction(1, 20), Fraction(3, 2), Fraction(1, 8)} <= set(ratios)
    assert Fraction(20, 19) not in ratios  # a 5 % day is not a split's signature
    assert all(max(r.numerator, r.denominator) <= 20 for r in ratios)


def test_a_configured_ratio_set_and_bound_replace_the_defaults() -> None:
    rule = MoveRule(bound=D("0.5"), ratios=parse_ratios("2:1, 1:2"))
    assert rule.needs_explaining(D("0.5"))
    assert rule.needs_explaining(D("2.01"))
    assert not rule.needs_explaining(D("0.67"))  # 3:2 is not in this set, and within 50 %


@pytest.mark.parametrize("text", ["2", "2:0", "a:b", "3:3", "2:1,,"])
def test_a_bad_ratio_setting_is_a_named_error(text: str) -> None:
    with pytest.raises(ValueError, match=r"ratio|move"):
        parse_ratios(text)
