"""What every response body shares: exact decimal strings, the model base, the examples
and notes the documentation repeats, and /health's body. Each resource's bodies are in a
module of their own (batch_models, track_record_models): a read function loads its own."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

DECIMAL_PATTERN = r"^-?\d+(\.\d+)?$"

# Fixed-point text, never exponent notation ("0.00000001", not "1E-8").
DecimalString = Annotated[
    Decimal,
    PlainSerializer(lambda value: format(value, "f"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": DECIMAL_PATTERN, "examples": ["187.44"]}),
]


class ApiModel(BaseModel):
    # Built on first use: each read function answers one route and needs its models only.
    model_config = ConfigDict(frozen=True, defer_build=True)


BATCH_ID_EXAMPLE = "3f0c8a52-6f0e-4d8b-9a56-1b2f3c4d5e6f"
PICK_ID_EXAMPLE = "9b1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f"
ENTRY_ID_EXAMPLE = "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"
RETURN_NOTE = (
    "A total return: the close plus the cash dividends per share paid since the baseline "
    "(ex-date after the baseline date, on or before the day), against the baseline divided "
    "by every split since (docs/scoring.md). Percent, 6 decimal places (half-even), as stored."
)


class Health(ApiModel):
    status: Literal["ok", "unavailable"] = Field(
        description="`ok` when the service can answer with data", examples=["ok"]
    )
    database: Literal["ok", "unavailable"] = Field(
        description="whether the database answered a query just now", examples=["ok"]
    )


ANALYSIS_PLAN = "/analysis-plan"
PLAN_NOTE = f"The analysis plan ({ANALYSIS_PLAN}) states the formula and its assumptions."
