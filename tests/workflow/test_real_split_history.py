"""Amazon's 20:1 split of 2022-06-06 through the real client, over HTTP, against a local
imitation of Alpha Vantage serving Amazon's real SPLITS history: the day of the split is
explained by one look-up and published as the day's move, never as -95 %."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import psycopg
import pytest

from alpha_monday.db.batches import get_batch_detail
from alpha_monday.domain.market_time import market_date
from alpha_monday.integrations.alpha_vantage import AlphaVantageSource
from alpha_monday.integrations.offline import SyntheticMarket
from alpha_monday_local.sfn_runner import SimulatedClock
from tests.fake_alpha_vantage import FakeAlphaVantage, serving
from tests.workflow.conftest import FixedPicker, RunWeekly

pytestmark = pytest.mark.slow

MONDAY = date(2022, 5, 30)  # Memorial Day: the fortnight's first session is Tuesday
SPLIT_DAY = date(2022, 6, 6)
# Alpha Vantage's SPLITS answer for AMZN, as documented and as served for the real ticker.
AMZN_SPLITS = [
    {"effective_date": "2022-06-06", "split_factor": "20.0000"},
    {"effective_date": "1999-09-02", "split_factor": "2.0000"},
    {"effective_date": "1999-01-05", "split_factor": "3.0000"},
    {"effective_date": "1998-06-02", "split_factor": "2.0000"},
]
PICKS = FixedPicker(("AMZN", "BUY"), ("MSFT", "SELL"), ("KO", "BUY"))


@pytest.fixture
def alpha_vantage() -> Iterator[tuple[FakeAlphaVantage, list[SimulatedClock]]]:
    clocks: list[SimulatedClock] = []
    market = SyntheticMarket(now=lambda: datetime(2022, 7, 1, tzinfo=UTC))
    closes = {
        symbol: dict(market.daily_closes(symbol).closes) for symbol in ("SPY", "AMZN", "MSFT", "KO")
    }
    # Unadjusted, as TIME_SERIES_DAILY serves it: the share count is 20 times from June 6th.
    served = {
        symbol: {
            day: str((close / 20).quantize(Decimal("0.0001")))
            if symbol == "AMZN" and day >= SPLIT_DAY
            else str(close)
            for day, close in series.items()
        }
        for symbol, series in closes.items()
    }

    def now() -> datetime:
        return clocks[0].now()

    def splits_listed_once_effective(params: dict[str, str], _: int) -> bytes | None:
        if params.get("function") != "SPLITS" or params.get("symbol") != "AMZN":
            return None
        today = market_date(now()).isoformat()
        rows = [row for row in AMZN_SPLITS if row["effective_date"] <= today]
        return json.dumps({"symbol": "AMZN", "data": rows}).encode()

    fake = FakeAlphaVantage(closes=served, now=now, interceptor=splits_listed_once_effective)
    with serving(fake) as running:
        yield running, clocks


def test_amazons_real_20_for_1_split_is_adjusted_after_one_look_up_on_its_day(
    run_weekly: RunWeekly, conn: psycopg.Connection, alpha_vantage: Any
) -> None:
    fake, clocks = alpha_vantage

    def source(clock: SimulatedClock, _: SyntheticMarket) -> AlphaVantageSource:
        clocks.append(clock)
        return AlphaVantageSource("sentinel-key", 5, base_url=fake.url)

    run = run_weekly(MONDAY, picker=PICKS, source=source)
    assert run.report.status == "SUCCEEDED", run.report.cause
    detail = get_batch_detail(conn, run.output["batch_id"])
    # Then the split is counted from its date, with the old splits left as history
    splits = [(a.symbol, a.action_date, a.value) for a in detail.corporate_actions]
    assert ("AMZN", SPLIT_DAY, Decimal("20.0000")) in splits
    assert all(a.action_date > date(2022, 5, 27) for a in detail.corporate_actions)
    # And AMZN is scored every session, never near -95 %
    amzn = [
        (c.checkpoint_date, m) for c in detail.checkpoints for m in c.metrics if m.ticker == "AMZN"
    ]
    assert len(amzn) == 9
    assert all(abs(m.absolute_return_pct) < 25 for _, m in amzn)
    before, on = (m for day, m in amzn if day in (date(2022, 6, 3), SPLIT_DAY))
    assert on.current_price < before.current_price / 10  # the raw close fell 20-fold
    # And AMZN's SPLITS was asked at the baseline, on the day of the split, and at the audit
    assert fake.calls("SPLITS").count("AMZN") == 3
