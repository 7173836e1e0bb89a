"""The track record in plain words: chance, skill, or too early to say."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from uuid import uuid4

from alpha_monday.dashboard.page import verdict
from alpha_monday.domain.track_record import FinalScore, record_of


def _scores(*alphas: str) -> list[FinalScore]:
    """One pick a batch, so each batch's alpha is its pick's score."""
    monday = date(2026, 1, 5)
    return [
        FinalScore(uuid4(), monday + timedelta(weeks=n), "AAPL", "BUY", Decimal(alpha))
        for n, alpha in enumerate(alphas)
    ]


def test_no_batch_is_nothing_to_judge() -> None:
    assert verdict(record_of([])) == "No completed batch yet: nothing to judge."


def test_one_batch_has_no_interval_yet() -> None:
    assert "no interval yet, so no verdict" in verdict(record_of(_scores("1.000000")))


def test_an_interval_holding_zero_could_be_chance() -> None:
    words = verdict(record_of(_scores("1.000000", "-0.500000", "0.250000")))
    assert "could be chance" in words
    assert "over 3 batches" in words


def test_an_interval_above_zero_is_unlikely_to_be_chance() -> None:
    words = verdict(record_of(_scores("1.000000", "1.100000", "0.900000", "1.050000")))
    assert "unlikely to be chance" in words
    assert "beat SPY" in words
