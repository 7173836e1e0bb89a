"""Independent recomputations the track-record tests compare with (statsmodels, scipy)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

import numpy as np
import statsmodels.api as sm
from scipy import stats


class MeanTest(NamedTuple):
    interval: dict[str, str]  # the 95 % interval, to 4 places, as the API publishes it
    p_value: str  # of a mean of 0, to 4 places
    standard_error: float


def newey_west_mean(values: Sequence[Decimal]) -> MeanTest:
    """statsmodels' OLS on a constant with a Newey-West standard error at a one-week lag
    (the values are consecutive weeks), t with n - 1 degrees of freedom."""
    series = np.array([float(v) for v in values])
    hac = sm.OLS(series, np.ones((len(series), 1))).fit(
        cov_type="HAC", cov_kwds={"maxlags": 1, "use_correction": False}
    )
    se, mean, df = float(hac.bse[0]), float(series.mean()), len(series) - 1
    low, high = stats.t.interval(0.95, df, loc=mean, scale=se)
    p_value = 2 * stats.t.sf(abs(mean / se), df)
    return MeanTest({"low": f"{low:.4f}", "high": f"{high:.4f}"}, f"{p_value:.4f}", se)
