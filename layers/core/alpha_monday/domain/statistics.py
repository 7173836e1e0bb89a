"""Exact formulas for the track record's intervals and test, checked against scipy.stats.

The Lambda layer carries no scipy (tens of MB for three formulas): Student's t comes from
the regularized incomplete beta function, evaluated by its continued fraction (Numerical
Recipes §6.4), which is accurate to ~1e-12 here; the tests compare every figure with
scipy on several data sets.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

# The two-sided 95 % normal quantile, for Wilson's interval.
Z_95 = 1.959963984540054
CONFIDENCE = 0.95
_EPSILON = 1e-15
_TINY = 1e-300
_MAX_ITERATIONS = 500


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float] | None:
    """Wilson's score interval for a proportion; None without trials."""
    if trials == 0:
        return None
    share = successes / trials
    denominator = 1 + z * z / trials
    centre = (share + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials))
    half /= denominator
    return max(0.0, centre - half), min(1.0, centre + half)


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
    for _ in range(200):  # bisection: the p-value falls as t grows
        middle = (low + high) / 2
        if t_two_sided_p(middle, df) > tail:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def _mean_and_standard_error(values: Sequence[float]) -> tuple[float, float] | None:
    n = len(values)
    if n < 2:
        return None
    mean = math.fsum(values) / n
    variance = math.fsum((v - mean) ** 2 for v in values) / (n - 1)
    if variance == 0:
        return None  # no spread: neither an interval nor a test says anything
    return mean, math.sqrt(variance / n)


def mean_interval(
    values: Sequence[float], confidence: float = CONFIDENCE
) -> tuple[float, float] | None:
    """Student's t interval for the mean; None with fewer than two values or no spread."""
    estimate = _mean_and_standard_error(values)
    if estimate is None:
        return None
    mean, standard_error = estimate
    half = t_quantile((1 + confidence) / 2, len(values) - 1) * standard_error
    return mean - half, mean + half


def p_value_mean_is_zero(values: Sequence[float]) -> float | None:
    """Two-sided p-value of the one-sample t-test of "the mean is 0"."""
    estimate = _mean_and_standard_error(values)
    if estimate is None:
        return None
    mean, standard_error = estimate
    return t_two_sided_p(mean / standard_error, len(values) - 1)
