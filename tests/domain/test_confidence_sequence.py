"""The anytime-valid confidence sequence and the power figure, checked against their
definitions and published formulas: the t-mixture against a numerical integration of the
scale-invariant mixture it is defined by, its boundary against Robbins' normal mixture
(Howard et al. 2021) for long series, its time-uniform coverage on simulated overlapping
fortnights, and the weeks to power against statsmodels.

confseq itself ships only as a source distribution that needs Boost to build, so the
published formulas are checked instead (docs/analysis-plan.md)."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from itertools import pairwise

import pytest
from scipy import integrate, stats
from statsmodels.stats.power import NormalIndPower

from alpha_monday.domain.confidence_sequence import (
    ALPHA,
    batches_for_power,
    confidence_sequence,
    mixture_precision,
    t_mixture,
    t_mixture_radius,
)
from alpha_monday.domain.statistics import newey_west_mean

MONDAY = date(2026, 1, 5)
SERIES = [
    [0.8, -1.2],
    [1.5, -0.4, 2.2],
    [0.31, 0.12, -0.05, 0.44, 0.27, -0.18, 0.09],
    [-3.2, -1.1, -0.4, -2.8, -0.9, -1.7, -2.2, -0.3],
]


def _by_definition(values: list[float], centre: float, precision: float) -> float:
    """The mixture's likelihood ratio of the scale-invariant data: the standardised effect
    d ~ N(0, 1 / precision) against d = 0, the scale integrated out with the right Haar
    measure d(sigma) / sigma."""
    y = [v - centre for v in values]
    t = len(y)

    def density(d: float, sigma: float) -> float:
        return sigma ** (-t - 1) * math.exp(-sum((yi / sigma - d) ** 2 for yi in y) / 2)

    null = integrate.quad(lambda s: density(0.0, s), 0, math.inf)[0]
    prior = math.sqrt(precision / (2 * math.pi))
    mixed = integrate.quad(
        lambda d: (
            prior
            * math.exp(-precision * d * d / 2)
            * integrate.quad(lambda s: density(d, s), 0, math.inf)[0]
        ),
        -math.inf,
        math.inf,
    )[0]
    return mixed / null


@pytest.mark.parametrize("values", SERIES)
@pytest.mark.parametrize("precision", [0.5, 2.7])
def test_the_t_mixture_is_the_mixture_it_is_defined_by(
    values: list[float], precision: float
) -> None:
    centre = 0.1
    assert t_mixture(values, centre, precision) == pytest.approx(
        _by_definition(values, centre, precision), rel=1e-7
    )


def test_the_t_mixture_starts_at_one() -> None:
    # One value says nothing once the scale is unknown: the martingale starts at 1
    assert t_mixture([3.7], 0.0, 2.0) == pytest.approx(1.0)


@pytest.mark.parametrize("values", SERIES[1:])
def test_the_radius_is_where_the_mixture_reaches_one_over_alpha(values: list[float]) -> None:
    precision = mixture_precision(26, ALPHA)
    radius = t_mixture_radius(values * 3, ALPHA, precision)
    mean = sum(values * 3) / len(values * 3)
    assert math.isfinite(radius)
    assert t_mixture(values * 3, mean + radius, precision) == pytest.approx(1 / ALPHA, rel=1e-9)
    assert t_mixture(values * 3, mean - radius, precision) == pytest.approx(1 / ALPHA, rel=1e-9)
    assert t_mixture(values * 3, mean + radius / 2, precision) < 1 / ALPHA


def test_a_long_series_meets_robbins_normal_mixture_boundary() -> None:
    # Given 20,000 Gaussian values: the unknown variance is known in all but name
    draws = random.Random(7)
    values = [draws.gauss(0.3, 2.0) for _ in range(20_000)]
    t, precision = len(values), mixture_precision(52, ALPHA)
    mean = sum(values) / t
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / t)
    # Then the radius is the normal mixture's sqrt((v + rho) log((v + rho) / (rho alpha^2))) / t
    # with v = sd^2 t and rho = precision sd^2 (Howard et al. 2021, the two-sided boundary)
    v, rho = sd * sd * t, precision * sd * sd
    robbins = math.sqrt((v + rho) * math.log((v + rho) / (rho * ALPHA**2))) / t
    assert t_mixture_radius(values, ALPHA, precision) == pytest.approx(robbins, rel=0.01)


def _overlapping_fortnights(draws: random.Random, weeks: int) -> list[tuple[date, float]]:
    """Batch alphas with no skill whose neighbours share a week: each the sum of two
    consecutive weekly shocks (a correlation of 1/2 a week apart, none two weeks apart)."""
    shocks = [draws.gauss(0, 2.5) for _ in range(weeks + 1)]
    return [(MONDAY + timedelta(weeks=n), shocks[n] + shocks[n + 1]) for n in range(weeks)]


def _fixed_interval_excludes_zero(values: list[float]) -> bool:
    """The fixed-sample Newey-West interval at a one-week lag (scipy's t quantile)."""
    n = len(values)
    mean = sum(values) / n
    residuals = [v - mean for v in values]
    variance = (sum(e * e for e in residuals) + sum(a * b for a, b in pairwise(residuals))) / (
        n * n
    )
    return variance > 0 and abs(mean) > stats.t.ppf(0.975, n - 1) * math.sqrt(variance)


def test_read_every_week_the_sequence_keeps_its_95_percent_and_the_fixed_interval_does_not() -> (
    None
):
    # Given 200 experiments of 60 weeks without skill, each read every week from week 2
    draws = random.Random(20261202)
    paths, weeks = 200, 60
    sequence_wrong = fixed_wrong = 0
    for _ in range(paths):
        alphas = _overlapping_fortnights(draws, weeks)
        sequence_said = fixed_said = False
        for week in range(2, weeks + 1):
            seen = alphas[:week]
            bounds = confidence_sequence(seen)
            assert bounds is not None
            sequence_said |= bounds.verdict() != "could be chance"
            fixed_said |= _fixed_interval_excludes_zero([value for _, value in seen])
        sequence_wrong += sequence_said
        fixed_wrong += fixed_said
    # Then the sequence claimed an edge that is not there in at most 5 % of them
    assert sequence_wrong / paths <= ALPHA
    # while the fixed-sample interval, read weekly, claimed one far more often
    assert fixed_wrong / paths > 3 * ALPHA


def test_a_steady_edge_is_found_and_a_steady_loss_too() -> None:
    edge = [(MONDAY + timedelta(weeks=n), 1.0 + 0.3 * math.sin(n)) for n in range(40)]
    loss = [(run_date, -value) for run_date, value in edge]
    up, down = confidence_sequence(edge), confidence_sequence(loss)
    assert up is not None
    assert down is not None
    assert (up.verdict(), down.verdict()) == ("beats SPY", "trails SPY")
    assert up.low > 0
    assert down.high < 0


def test_early_on_the_sequence_is_unbounded_and_says_could_be_chance() -> None:
    # Given three weeks that a fixed-sample interval already calls an edge
    early = [(MONDAY + timedelta(weeks=n), v) for n, v in enumerate([1.0, 1.1, 0.9])]
    fixed = newey_west_mean([v for _, v in early], [(0, 1), (1, 2)])
    assert fixed is not None
    assert fixed.interval[0] > 0
    # Then the sequence cannot bound the mean yet
    bounds = confidence_sequence(early)
    assert bounds is not None
    assert (bounds.low, bounds.high) == (-math.inf, math.inf)
    assert bounds.verdict() == "could be chance"


def test_fewer_than_two_batches_have_no_sequence() -> None:
    assert confidence_sequence([]) is None
    assert confidence_sequence([(MONDAY, 1.0)]) is None


def test_batches_all_two_weeks_apart_fill_one_half_and_it_alone_decides() -> None:
    # Given every other week only: one half holds every batch, the other none
    values = [1.0 + 0.3 * math.sin(n) for n in range(40)]
    alternate = [(MONDAY + timedelta(weeks=2 * n), v) for n, v in enumerate(values)]
    bounds = confidence_sequence(alternate)
    precision = mixture_precision(26, ALPHA / 2)
    radius = t_mixture_radius(values, ALPHA / 2, precision)
    mean = sum(values) / len(values)
    assert bounds is not None
    assert bounds.low == pytest.approx(mean - radius)
    assert bounds.high == pytest.approx(mean + radius)


def test_halves_that_disagree_give_their_hull() -> None:
    # Given even weeks near +3 and odd weeks near -3: no one mean fits both
    alphas = [
        (MONDAY + timedelta(weeks=n), (3.0 if n % 2 == 0 else -3.0) + 0.01 * math.sin(n))
        for n in range(60)
    ]
    bounds = confidence_sequence(alphas)
    assert bounds is not None
    assert bounds.low < -2.9
    assert bounds.high > 2.9
    assert bounds.verdict() == "could be chance"


@pytest.mark.parametrize("spread", [3.0, 4.0, 5.0])
def test_weeks_to_power_match_statsmodels_and_the_issues_figures(spread: float) -> None:
    needed = batches_for_power(spread, 0.5)
    oracle = NormalIndPower().solve_power(
        effect_size=0.5 / spread, alpha=0.05, power=0.8, ratio=0, alternative="two-sided"
    )
    assert needed == pytest.approx(oracle, rel=1e-4)
    assert 280 <= math.ceil(needed) <= 790
