"""A batch's origin: could its picks have known how the fortnight went?"""

from __future__ import annotations

from datetime import date, datetime, time

from alpha_monday.domain.market_time import market_instant_utc
from alpha_monday.domain.model import BatchOrigin

MARKET_OPEN = time(9, 30)


def batch_origin(*, offline: bool, committed_at: datetime, run_date: date) -> BatchOrigin:
    """`simulated` when a stand-in made it; else `live` if committed before 09:30 New York on
    its run_date (nothing of the fortnight had traded), `retrospective` if later."""
    if offline:
        return "simulated"
    if committed_at < market_instant_utc(run_date, MARKET_OPEN):
        return "live"
    return "retrospective"
