"""The track record in plain words: the verdict comes from the confidence sequence, with
the fixed-sample interval beside it, or it is too early to say."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal
from uuid import uuid4

from alpha_monday.dashboard.page import verdict
from alpha_monday.domain.track_record import FinalScore, record_of

EDGE = Decimal("0.5")


def _scores(*alphas: str) -> list[FinalScore]:
    """One pick a batch, so each batch's alpha is its pick's score."""
    monday = date(2026, 1, 5)
    return [
        FinalScore(uuid4(), monday + timedelta(weeks=n), "AAPL", "BUY", Decimal(alpha))
        for n, alpha in enumerate(alphas)
    ]


def test_no_batch_is_nothing_to_judge() -> None:
    assert verdict(record_of([]), EDGE) == "No completed batch yet: nothing to judge."


def test_one_batch_has_no_interval_yet() -> None:
    assert "no interval yet, so no verdict" in verdict(record_of(_scores("1.000000")), EDGE)


def test_a_fixed_interval_above_zero_early_on_is_still_could_be_chance() -> None:
    # Given four weeks whose fixed-sample interval lies above 0
    record = record_of(_scores("1.000000", "1.100000", "0.900000", "1.050000"))
    assert record.mean_alpha_interval is not None
    assert record.mean_alpha_interval.low > 0
    # Then the verdict, from the confidence sequence, does not claim an edge yet
    words = verdict(record, EDGE)
    assert ": could be chance." in words
    assert "confidence sequence (valid however often this page is read): not bounded yet" in words
    assert "fixed-sample 95 % interval (valid for one look only): +0.95 % to +1.08 %" in words
    assert record.could_be_chance is True


def test_a_steady_edge_over_forty_weeks_beats_spy() -> None:
    alphas = [f"{1.0 + 0.3 * math.sin(n):.6f}" for n in range(40)]
    record = record_of(_scores(*alphas))
    words = verdict(record, EDGE)
    assert "over 40 batches: beats SPY." in words
    assert record.weeks_to_power == 0
    assert "The batches so far already give a fixed-sample test 80 % power" in words
    assert record.confidence_sequence is not None
    assert (
        f"sequence (valid however often this page is read): {record.confidence_sequence.low:+.2f} %"
        in words
    )
    assert record.could_be_chance is False


def test_the_weeks_to_power_are_said_for_the_stated_edge() -> None:
    record = record_of(_scores("1.000000", "-0.500000", "0.250000"), EDGE)
    assert record.weeks_to_power is not None
    assert record.weeks_to_power > 0
    assert f"About {record.weeks_to_power} more weeks" in verdict(record, EDGE)
    assert "an edge of 0.5 points a batch" in verdict(record, EDGE)
