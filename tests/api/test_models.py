"""Numbers travel as exact fixed-point strings."""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

import pytest

from alpha_monday.api.batch_models import PickMetricOut


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("187.4400"), "187.4400"),
        (Decimal("1E-8"), "0.00000001"),
        (Decimal("-2.5E+3"), "-2500"),
        (Decimal("0.1") + Decimal("0.2"), "0.3"),
    ],
)
def test_decimals_serialize_as_fixed_point_strings(value: Decimal, text: str) -> None:
    metric = PickMetricOut(
        pick_id=uuid4(),
        ticker="AAPL",
        current_price=value,
        absolute_return_pct=value,
        vs_benchmark_pct=value,
    )
    dumped = metric.model_dump(mode="json")
    assert dumped["current_price"] == text
    assert dumped["vs_benchmark_pct"] == text
