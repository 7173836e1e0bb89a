"""Response bodies. Numeric database values travel as exact decimal strings."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

from alpha_monday.db import models as db

DECIMAL_PATTERN = r"^-?\d+(\.\d+)?$"

# Fixed-point text, never exponent notation ("0.00000001", not "1E-8").
DecimalString = Annotated[
    Decimal,
    PlainSerializer(lambda value: format(value, "f"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": DECIMAL_PATTERN, "examples": ["187.44"]}),
]


class ApiModel(BaseModel):
    model_config = ConfigDict(frozen=True)


class Health(ApiModel):
    status: Literal["ok", "unavailable"]
    database: Literal["ok", "unavailable"]


class PickOut(ApiModel):
    id: UUID
    ticker: str = Field(examples=["AAPL"])
    action: db.PickAction
    reasoning: str
    initial_price: DecimalString


class PickMetricOut(ApiModel):
    pick_id: UUID
    ticker: str
    current_price: DecimalString
    absolute_return_pct: DecimalString
    vs_benchmark_pct: DecimalString


class CheckpointOut(ApiModel):
    checkpoint_date: date
    status: db.CheckpointStatus
    is_baseline: bool = Field(description="the close before run_date that returns start from")
    benchmark_price: DecimalString | None
    benchmark_return_pct: DecimalString | None
    skip_reason: str | None
    metrics: list[PickMetricOut]


class BatchOut(ApiModel):
    id: UUID
    run_date: date
    created_at: datetime
    status: db.BatchStatus
    model: str | None
    benchmark_symbol: str
    benchmark_initial_price: DecimalString


class BatchDetailOut(BatchOut):
    picks: list[PickOut]
    checkpoints: list[CheckpointOut] = Field(description="in date order, the baseline first")


class PickBriefOut(ApiModel):
    ticker: str
    action: db.PickAction


class LatestReturnsOut(ApiModel):
    checkpoint_date: date
    benchmark_return_pct: DecimalString | None
    metrics: list[PickMetricOut]


class BatchSummaryOut(BatchOut):
    picks: list[PickBriefOut]
    latest_checkpoint: LatestReturnsOut | None = Field(
        description="the most recent computed checkpoint after the baseline, if any"
    )


class BatchListOut(ApiModel):
    items: list[BatchSummaryOut]
    next_cursor: str | None = Field(
        description="pass as `cursor` for the next page; null on the last page",
        examples=["2026-01-05"],
    )


def _metrics(checkpoint: db.Checkpoint) -> list[PickMetricOut]:
    return [PickMetricOut.model_validate(m, from_attributes=True) for m in checkpoint.metrics]


def batch_detail_out(detail: db.BatchDetail) -> BatchDetailOut:
    return BatchDetailOut.model_validate(
        {
            **detail.batch.model_dump(),
            "picks": [PickOut.model_validate(p, from_attributes=True) for p in detail.picks],
            "checkpoints": [
                CheckpointOut(
                    checkpoint_date=c.checkpoint_date,
                    status=c.status,
                    # The baseline is the close of the last session before run_date.
                    is_baseline=c.checkpoint_date < detail.batch.run_date,
                    benchmark_price=c.benchmark_price,
                    benchmark_return_pct=c.benchmark_return_pct,
                    skip_reason=c.skip_reason,
                    metrics=_metrics(c),
                )
                for c in detail.checkpoints
            ],
        }
    )


def batch_list_out(page: db.BatchPage) -> BatchListOut:
    return BatchListOut(
        items=[
            BatchSummaryOut.model_validate(
                {
                    **item.batch.model_dump(),
                    "picks": [PickBriefOut(ticker=p.ticker, action=p.action) for p in item.picks],
                    "latest_checkpoint": (
                        LatestReturnsOut(
                            checkpoint_date=item.latest_checkpoint.checkpoint_date,
                            benchmark_return_pct=item.latest_checkpoint.benchmark_return_pct,
                            metrics=_metrics(item.latest_checkpoint),
                        )
                        if item.latest_checkpoint
                        else None
                    ),
                }
            )
            for item in page.items
        ],
        next_cursor=(page.next_run_date_before.isoformat() if page.next_run_date_before else None),
    )
