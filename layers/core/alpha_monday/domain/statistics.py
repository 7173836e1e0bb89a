"""Exact formulas for the track record's intervals and tests, checked against scipy.stats
and statsmodels.

The Lambda layer carries no scipy (tens of MB for three formulas): Student's t comes from
the regularized incomplete beta function, evaluated by its continued fraction (Numerical
Recipes §6.4), which is accurate to ~1e-12 here; the tests compare every figure with
scipy and statsmodels on several data sets; docs/api.md ("The track record") says which
statistic is used for what.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from operator import getitem, mul

CONFIDENCE = 0.95
_EPSILON = 1e-15
_TINY = 1e-300
_MAX_ITERATIONS = 500
_QUANTILE_TOLERANCE = 1e-14


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    qab, qap, qam = a + b, a + 1, a - 1
    c, d = 1.0, 1 - qab * x / qap
    d = 1 / (d if abs(d) > _TINY else _TINY)
    result = d
    for m in range(1, _MAX_ITERATIONS + 1):
        m2 = 2 * m
        for numerator in (
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > _TINY else _TINY)
            c = 1 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            result *= d * c
        if abs(d * c - 1) < _EPSILON:
            break
    return result


def regularized_incomplete_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b) for a, b > 0 and 0 <= x <= 1."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1) / (a + b + 2):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1 - front * _beta_continued_fraction(b, a, 1 - x) / b


def t_two_sided_p(t: float, df: float) -> float:
    """P(|T| >= |t|) for Student's t with `df` degrees of freedom."""
    return regularized_incomplete_beta(df / 2, 0.5, df / (df + t * t))


def t_quantile(probability: float, df: float) -> float:
    """The t value below which `probability` of Student's t lies (0.5 < probability < 1)."""
    tail = 2 * (1 - probability)  # the two-sided p-value that value has
    low, high = 0.0, 1.0
    while t_two_sided_p(high, df) > tail:
        high *= 2
    # Bisection (the p-value falls as t grows) down to the last few digits of a double.
    while high - low > _QUANTILE_TOLERANCE * high:
        middle = (low + high) / 2
        if t_two_sided_p(middle, df) > tail:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def _t_interval(
    centre: float, standard_error: float, df: float, confidence: float
) -> tuple[float, float]:
    half = t_quantile((1 + confidence) / 2, df) * standard_error
    return centre - half, centre + half


@dataclass(frozen=True)
class MeanEstimate:
    """A mean with its standard error, t interval and two-sided p-value of "it is 0"."""

    mean: float
    standard_error: float
    interval: tuple[float, float]
    p_value: float


def newey_west_mean(
    values: Sequence[float],
    neighbours: Sequence[tuple[int, int]],
    confidence: float = CONFIDENCE,
) -> MeanEstimate | None:
    """The mean with a Newey-West (HAC) standard error at lag one: the Bartlett weight 1/2
    on the autocovariance of the `neighbours` pairs (indexes one lag apart; a gap breaks a
    pair). No small-sample correction of the variance; t with n - 1 degrees of freedom.
    None with fewer than two values or no spread."""
    n = len(values)
    if n < 2:
        return None
    mean = math.fsum(values) / n
    residuals = [v - mean for v in values]
    gamma_0 = math.fsum(e * e for e in residuals) / n
    gamma_1 = math.fsum(residuals[i] * residuals[j] for i, j in neighbours) / n
    variance = (gamma_0 + gamma_1) / n  # 2 x the Bartlett weight 1/2 x gamma_1
    if variance <= 0:
        return None
    standard_error = math.sqrt(variance)
    t = mean / standard_error
    return MeanEstimate(
        mean,
        standard_error,
        _t_interval(mean, standard_error, n - 1, confidence),
        t_two_sided_p(t, n - 1),
    )


def clustered_proportion(
    clusters: Sequence[tuple[int, int]], confidence: float = CONFIDENCE
) -> tuple[float, float] | None:
    """A t interval (clipped to [0, 1]) for a share counted in clusters of (successes,
    trials), with the cluster as the unit: the cluster-robust standard error with the
    G / (G - 1) correction and G - 1 degrees of freedom. None below two clusters or no
    spread."""
    groups = [(hits, trials) for hits, trials in clusters if trials]
    g = len(groups)
    total = sum(trials for _, trials in groups)
    if g < 2:
        return None
    share = sum(hits for hits, _ in groups) / total
    spread = math.fsum((hits - share * trials) ** 2 for hits, trials in groups)
    variance = g / (g - 1) * spread / (total * total)
    if variance <= 0:
        return None
    low, high = _t_interval(share, math.sqrt(variance), g - 1, confidence)
    return max(0.0, low), min(1.0, high)


def holm(p_values: Sequence[float | None], tests: int) -> list[float | None]:
    """Holm's step-down adjustment of `p_values` among `tests` hypotheses (at least as many
    as the p-values given; a test without a p-value counts, conservatively, as tried)."""
    known = sorted((p, i) for i, p in enumerate(p_values) if p is not None)
    adjusted: list[float | None] = [None] * len(p_values)
    running = 0.0
    for rank, (p, index) in enumerate(known):
        running = max(running, min(1.0, (tests - rank) * p))
        adjusted[index] = running
    return adjusted


# Exact enumeration up to this many picks (4,096 sign patterns), seeded draws above it.
SIGN_FLIP_EXACT_MAX_PICKS = 12
SIGN_FLIP_DRAWS = 2000
SIGN_FLIP_SEED = 20261202
_TIE = 1e-12


@dataclass(frozen=True)
class SignFlip:
    """Could a coin have called these directions? The share of sign patterns whose
    statistic is at least as far from 0 as the observed one."""

    p_value: float
    exact: bool
    # Sign patterns evaluated: 2**picks when exact, else the seeded draws.
    patterns: int


def sign_flip_test(contributions: Sequence[float]) -> SignFlip | None:
    """Two-sided sign-flip randomisation test of a statistic that is the sum of
    `contributions` (each pick's score times its weight): under "no skill" each direction
    is a fair coin, so each contribution's sign is. Exact for a few picks, else Monte Carlo
    with a fixed seed, p = (1 + hits) / (1 + draws). None without picks."""
    n = len(contributions)
    if n == 0:
        return None
    observed = abs(math.fsum(contributions)) * (1 - _TIE)
    if n <= SIGN_FLIP_EXACT_MAX_PICKS:
        patterns = 1 << n
        hits = sum(
            1
            for bits in range(patterns)
            if abs(math.fsum(c if bits >> i & 1 else -c for i, c in enumerate(contributions)))
            >= observed
        )
        return SignFlip(hits / patterns, exact=True, patterns=patterns)
    draws = random.Random(SIGN_FLIP_SEED)  # noqa: S311 - a published, reproducible seed
    tables = _signed_sums(contributions)
    hits = 0
    for _ in range(SIGN_FLIP_DRAWS):
        # Bit i set keeps pick i's sign; each byte of the draw picks one precomputed sum
        # (fsum is correctly rounded: how the sums are grouped cannot change the result).
        chosen = draws.getrandbits(n).to_bytes(len(tables), "little")
        hits += abs(math.fsum(map(getitem, tables, chosen))) >= observed
    return SignFlip((1 + hits) / (1 + SIGN_FLIP_DRAWS), exact=False, patterns=SIGN_FLIP_DRAWS)


_BYTE = 8
# The signs of a byte's sign pattern, +1.0 where its bit j is set (negation is exact).
_BYTE_SIGNS = tuple(
    tuple(1.0 if pattern >> j & 1 else -1.0 for j in range(_BYTE)) for pattern in range(1 << _BYTE)
)


def _signed_sums(contributions: Sequence[float]) -> list[list[float]]:
    """For each run of eight picks, the signed sum of their contributions under each of the
    256 sign patterns of a byte (bit j set: the j-th pick of the run keeps its sign)."""
    return [
        [math.fsum(map(mul, signs, contributions[start : start + _BYTE])) for signs in _BYTE_SIGNS]
        for start in range(0, len(contributions), _BYTE)
    ]
