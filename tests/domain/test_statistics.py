"""The track record's statistics agree with scipy.stats on several data sets."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from alpha_monday.domain.statistics import (
    mean_interval,
    p_value_mean_is_zero,
    t_quantile,
    wilson_interval,
)

DATA_SETS = [
    [1.5, -0.4],
    [0.8, -1.2, 2.4],
    [0.31, 0.12, -0.05, 0.44, 0.27, -0.18, 0.09],
    [-3.2, -1.1, -0.4, -2.8, -0.9, -1.7, -2.2, -0.3, -1.5, -2.0, -0.6, -1.9],
    [0.000001, 0.000003, -0.000002],
    [12.5, -8.25, 3.0, 0.5, -1.75, 6.0, -4.5, 2.25, 9.0, -0.25] * 5,
]


@pytest.mark.parametrize("values", DATA_SETS)
def test_the_t_interval_and_p_value_match_scipy(values: list[float]) -> None:
    n = len(values)
    expected_low, expected_high = stats.t.interval(
        0.95, n - 1, loc=stats.tmean(values), scale=stats.sem(values)
    )
    low, high = mean_interval(values) or (math.nan, math.nan)
    assert low == pytest.approx(expected_low, rel=1e-9, abs=1e-12)
    assert high == pytest.approx(expected_high, rel=1e-9, abs=1e-12)
    expected_p = stats.ttest_1samp(values, 0.0).pvalue
    assert p_value_mean_is_zero(values) == pytest.approx(expected_p, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("values", [[], [0.7], [0.25, 0.25, 0.25], [0.0, 0.0]])
def test_no_interval_or_p_value_from_fewer_than_two_values_or_no_spread(
    values: list[float],
) -> None:
    # scipy answers nan (or refuses) here: we answer "none", never a made-up number
    assert mean_interval(values) is None
    assert p_value_mean_is_zero(values) is None


@pytest.mark.parametrize("df", [1, 2, 3, 5, 11, 30, 120])
def test_the_t_quantile_matches_scipy(df: int) -> None:
    assert t_quantile(0.975, df) == pytest.approx(stats.t.ppf(0.975, df), rel=1e-10)


@pytest.mark.parametrize(
    ("successes", "trials"), [(0, 1), (1, 1), (1, 2), (2, 3), (7, 12), (0, 30), (30, 30), (51, 90)]
)
def test_the_wilson_interval_matches_scipy(successes: int, trials: int) -> None:
    expected = stats.binomtest(successes, trials).proportion_ci(0.95, method="wilson")
    low, high = wilson_interval(successes, trials) or (math.nan, math.nan)
    assert low == pytest.approx(expected.low, abs=1e-12)
    assert high == pytest.approx(expected.high, abs=1e-12)


def test_no_wilson_interval_without_trials() -> None:
    assert wilson_interval(0, 0) is None
