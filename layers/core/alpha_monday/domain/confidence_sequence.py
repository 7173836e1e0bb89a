"""The anytime-valid 95 % confidence sequence of the mean batch alpha, and the verdict it
gives; docs/analysis-plan.md states the construction and its assumptions.

The page is read every week, so a fixed-sample interval looked at weekly will sooner or
later exclude 0 by chance. A confidence sequence holds the true mean at every week at once
with probability 95 %, however often it is read.

The construction: Lai's (1976) t-mixture for a Gaussian mean with an unknown variance. For
values x_1..x_t and a candidate mean m, with A = sum (x_i - m)^2 and S = sum (x_i - m),

    M_t(m) = sqrt(c / (t + c)) * (A / (A - S^2 / (t + c))) ** (t / 2)

is a nonnegative martingale with M_1 = 1 when the values are independent N(m, sigma^2)
(sigma unknown; a normal mixture over the standardised effect with precision c, scale
removed by invariance), so by Ville's inequality M_t(m) >= 1 / alpha happens at any t with
probability at most alpha. The sequence is every m with M_t(m) < 1 / alpha: an interval
around the mean, unbounded until the data pin the spread down.

Batches a week apart share a week of market, so they are not independent; batches two weeks
apart share none. The batches are split by the parity of their week into two series whose
members never overlap, each gets a sequence at alpha / 2, and the published one is their
intersection (their hull when they disagree, a superset and so still valid).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from statistics import NormalDist
from typing import Literal

ALPHA = 0.05
# The mixture's precision c is chosen to make the sequence narrowest after a year of weekly
# batches (26 in each half), fixed before the data (docs/analysis-plan.md).
TUNED_FOR_BATCHES = 52
SERIES = 2  # the interleaved halves that share no market days

Verdict = Literal["beats SPY", "trails SPY", "could be chance"]


def mixture_precision(batches: float, alpha: float) -> float:
    """The c making the normal mixture's boundary about narrowest at `batches` values (the
    tuning of Waudby-Smith, Arnold, Wu, Wang and Ramdas, "Time-uniform central limit theory
    and asymptotic confidence sequences", with the mixture's variance rho^2 = 1 / c)."""
    log_term = -2 * math.log(alpha)
    return batches / (log_term + math.log(1 + log_term))


def t_mixture(values: Sequence[float], centre: float, precision: float) -> float:
    """M_t(centre), the t-mixture's value after `values` (the test martingale above)."""
    t = len(values)
    sum_squares = math.fsum((v - centre) ** 2 for v in values)
    total = math.fsum(v - centre for v in values)
    reduced = sum_squares - total * total / (t + precision)
    growth: float = (sum_squares / reduced) ** (t / 2)
    return math.sqrt(precision / (t + precision)) * growth


def t_mixture_radius(values: Sequence[float], alpha: float, precision: float) -> float:
    """The half-width around the mean of every m with M_t(m) < 1 / alpha; infinite while the
    data cannot bound it (fewer than two values, no spread, or too few to beat 1 / alpha).

    With d = mean - m and Q the sum of squares about the mean, M_t(m) < 1 / alpha reads
    d^2 (K t^2 / (t + c) - (K - 1) t) < (K - 1) Q, where K = ((t + c) / c)^(1/t) alpha^(-2/t).
    """
    t = len(values)
    if t < 2:
        return math.inf
    mean = math.fsum(values) / t
    spread = math.fsum((v - mean) ** 2 for v in values)
    growth = ((t + precision) / precision) ** (1 / t) * alpha ** (-2 / t)
    bracket = growth * t * t / (t + precision) - (growth - 1) * t
    if spread <= 0 or bracket <= 0:
        return math.inf
    return math.sqrt((growth - 1) * spread / bracket)


@dataclass(frozen=True)
class SequenceBounds:
    """A confidence sequence's current interval; an infinite bound is unbounded."""

    low: float
    high: float

    def verdict(self) -> Verdict:
        if self.low > 0:
            return "beats SPY"
        if self.high < 0:
            return "trails SPY"
        return "could be chance"


def half_of(run_date: date) -> int:
    """Which of the two interleaved series a batch belongs to: the parity of its week.
    Batches in one half are two weeks or more apart and share no market day."""
    return run_date.toordinal() // 7 % SERIES


def confidence_sequence(
    alphas: Sequence[tuple[date, float]], alpha: float = ALPHA
) -> SequenceBounds | None:
    """The (1 - alpha) confidence sequence of the mean of batch alphas given by run date;
    None with fewer than two batches."""
    if len(alphas) < 2:
        return None
    level = alpha / SERIES
    precision = mixture_precision(TUNED_FOR_BATCHES / SERIES, level)
    halves = [
        [value for run_date, value in alphas if half_of(run_date) == parity]
        for parity in range(SERIES)
    ]
    bounds = []
    for half in filter(None, halves):  # an empty half bounds nothing
        centre = math.fsum(half) / len(half)
        radius = t_mixture_radius(half, level, precision)
        bounds.append((centre - radius, centre + radius))
    low, high = max(b[0] for b in bounds), min(b[1] for b in bounds)
    if low > high:  # the halves disagree: their hull still holds the mean when both do
        low, high = min(b[0] for b in bounds), max(b[1] for b in bounds)
    return SequenceBounds(low, high)


POWER = 0.8


def batches_for_power(
    long_run_sd: float, edge: float, alpha: float = ALPHA, power: float = POWER
) -> float:
    """Batches a two-sided level-alpha test of mean = 0 needs to detect a mean of `edge`
    with probability `power`, at a long-run standard deviation per batch (normal
    approximation, the far tail ignored): ((z_{1-alpha/2} + z_power) sd / edge)^2."""
    normal = NormalDist()
    z = normal.inv_cdf(1 - alpha / 2) + normal.inv_cdf(power)
    return (z * long_run_sd / edge) ** 2
