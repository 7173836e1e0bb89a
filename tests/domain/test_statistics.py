"""The track record's statistics agree with statsmodels and scipy on several data sets:
Newey-West at a one-week lag (with and without a missing week), the share with the batch as
the unit, Holm's adjustment."""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.multitest import multipletests

from alpha_monday.domain.statistics import (
    clustered_proportion,
    holm,
    newey_west_mean,
    sign_flip_test,
    t_quantile,
)

DATA_SETS = [
    [1.5, -0.4],
    [0.8, -1.2, 2.4],
    [0.31, 0.12, -0.05, 0.44, 0.27, -0.18, 0.09],
    [-3.2, -1.1, -0.4, -2.8, -0.9, -1.7, -2.2, -0.3, -1.5, -2.0, -0.6, -1.9],
    [0.000001, 0.000003, -0.000002],
    [12.5, -8.25, 3.0, 0.5, -1.75, 6.0, -4.5, 2.25, 9.0, -0.25] * 5,
]


def _oracle(values: list[float], groups: list[int]) -> tuple[float, float, float, float]:
    """statsmodels' HAC at maxlags 1 without correction (per contiguous run of weeks), with
    the t interval and p-value at n - 1 degrees of freedom."""
    y, x = np.array(values), np.ones((len(values), 1))
    kwargs = {"maxlags": 1, "use_correction": False}
    if len(set(groups)) == len(groups):  # no pair at all: lag 0 (statsmodels' panel refuses)
        kwargs["maxlags"] = 0
    fit = (
        sm.OLS(y, x).fit(cov_type="HAC", cov_kwds=kwargs)
        if len(set(groups)) in (1, len(groups))
        else sm.OLS(y, x).fit(cov_type="hac-panel", cov_kwds={**kwargs, "groups": np.array(groups)})
    )
    se = float(fit.bse[0])
    mean = float(fit.params[0])
    half = stats.t.ppf(0.975, len(values) - 1) * se
    return se, mean - half, mean + half, 2 * stats.t.sf(abs(mean / se), len(values) - 1)


@pytest.mark.parametrize("values", DATA_SETS)
@pytest.mark.parametrize("missing_week_after", [None, 0])
def test_newey_west_matches_statsmodels_with_and_without_a_missing_week(
    values: list[float], missing_week_after: int | None
) -> None:
    # Given consecutive weeks, or a week missing after the first batch (it breaks one pair)
    cut = len(values) if missing_week_after is None else missing_week_after + 1
    neighbours = [(i - 1, i) for i in range(1, len(values)) if i != cut]
    groups = [0 if i < cut else 1 for i in range(len(values))]
    # When estimated, then the standard error, interval and p-value are statsmodels'
    estimate = newey_west_mean(values, neighbours)
    assert estimate is not None
    se, low, high, p = _oracle(values, groups)
    assert estimate.standard_error == pytest.approx(se, rel=1e-9)
    assert estimate.interval[0] == pytest.approx(low, rel=1e-9, abs=1e-12)
    assert estimate.interval[1] == pytest.approx(high, rel=1e-9, abs=1e-12)
    assert estimate.p_value == pytest.approx(p, rel=1e-8, abs=1e-12)


def test_positively_correlated_weeks_widen_the_interval_past_the_plain_one() -> None:
    values = [1.0, 1.2, 0.9, -0.5, -0.7, -0.4, 1.1, 1.3]
    hac = newey_west_mean(values, [(i - 1, i) for i in range(1, len(values))])
    plain = newey_west_mean(values, [])
    assert hac is not None
    assert plain is not None
    assert hac.standard_error > plain.standard_error


@pytest.mark.parametrize("values", [[], [0.7], [0.25, 0.25, 0.25], [0.0, 0.0]])
def test_no_estimate_from_fewer_than_two_values_or_no_spread(values: list[float]) -> None:
    # statsmodels answers nan (or refuses) here: we answer "none", never a made-up number
    assert newey_west_mean(values, [(i - 1, i) for i in range(1, len(values))]) is None


@pytest.mark.parametrize("df", [1, 2, 3, 5, 11, 30, 120])
def test_the_t_quantile_matches_scipy(df: int) -> None:
    assert t_quantile(0.975, df) == pytest.approx(stats.t.ppf(0.975, df), rel=1e-10)


@pytest.mark.parametrize(
    "clusters",
    [
        [(2, 3), (1, 3)],
        [(3, 3), (0, 3), (2, 3), (1, 3)],
        [(1, 3), (2, 3), (2, 2), (0, 3), (3, 3), (1, 3), (2, 3)],
    ],
)
def test_the_hit_rate_interval_takes_the_batch_as_the_unit_like_statsmodels(
    clusters: list[tuple[int, int]],
) -> None:
    # Given picks' hits in batches; the oracle: OLS of each pick's hit on a constant with
    # standard errors clustered by batch
    hits = [1.0] * 0
    groups: list[int] = []
    for batch, (h, n) in enumerate(clusters):
        hits += [1.0] * h + [0.0] * (n - h)
        groups += [batch] * n
    fit = sm.OLS(np.array(hits), np.ones((len(hits), 1))).fit(
        cov_type="cluster", cov_kwds={"groups": np.array(groups)}
    )
    half = stats.t.ppf(0.975, len(clusters) - 1) * float(fit.bse[0])
    low, high = clustered_proportion(clusters) or (math.nan, math.nan)
    assert low == pytest.approx(max(0.0, float(fit.params[0]) - half), abs=1e-12)
    assert high == pytest.approx(min(1.0, float(fit.params[0]) + half), abs=1e-12)


def test_no_hit_rate_interval_below_two_batches() -> None:
    assert clustered_proportion([(2, 3)]) is None
    assert clustered_proportion([]) is None


@pytest.mark.parametrize(
    "p_values", [[0.01, 0.04, 0.03], [0.2, 0.001], [0.5], [0.04, 0.04, 0.2, 0.01, 0.9]]
)
def test_holm_matches_statsmodels(p_values: list[float]) -> None:
    expected = multipletests(p_values, method="holm")[1]
    adjusted = holm(p_values, tests=len(p_values))
    assert adjusted == pytest.approx(list(expected), abs=1e-12)


def test_a_version_without_a_p_value_still_counts_as_tried() -> None:
    # Given three versions tried, one too young for a p-value
    adjusted = holm([0.02, None, 0.04], tests=3)
    # Then the family is three, not two
    assert adjusted == pytest.approx([0.06, None, 0.08])


SIGN_FLIP_SETS = [
    [1.0, -0.25],
    [0.4, 0.1, 0.2, -0.3, 0.6, 0.05],
    [0.9, 0.7, 1.1, 0.4, 0.8, 1.2, 0.6, 0.3, 1.0, 0.5, 0.2, 0.75],
    [-0.1, 0.1, -0.2, 0.2, 0.05, -0.05, 0.3],
]


def _scipy_sign_flip(values: list[float], resamples: float) -> float:
    result = stats.permutation_test(
        (np.array(values),),
        np.sum,
        permutation_type="samples",
        n_resamples=resamples,
        alternative="two-sided",
        random_state=0,
    )
    return float(result.pvalue)


@pytest.mark.parametrize("values", SIGN_FLIP_SETS)
def test_the_exact_sign_flip_p_value_matches_scipys_enumeration(values: list[float]) -> None:
    result = sign_flip_test(values)
    assert result is not None
    assert result.exact
    assert result.patterns == 2 ** len(values)
    assert result.p_value == pytest.approx(_scipy_sign_flip(values, math.inf), abs=1e-12)


def test_above_twelve_picks_the_draws_are_seeded_and_near_the_exact_value() -> None:
    values = [0.3, -0.1, 0.5, 0.2, 0.4, -0.2, 0.1, 0.6, 0.05, -0.3, 0.25, 0.35, 0.15, -0.05]
    first, again = sign_flip_test(values), sign_flip_test(values)
    assert first is not None
    assert first == again  # reproducible: the seed is published
    assert not first.exact
    assert first.patterns == 2000
    assert first.p_value == pytest.approx(_scipy_sign_flip(values, math.inf), abs=0.03)


def test_no_sign_flip_p_value_without_picks_and_one_pick_tells_nothing() -> None:
    assert sign_flip_test([]) is None
    one = sign_flip_test([0.5])
    assert one is not None
    assert one.p_value == 1.0
