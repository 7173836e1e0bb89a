"""GET /latest, /batches and /batches/{batch_id}: each calls the read side once and shapes its
answer; errors are raised."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from alpha_monday.api.batch_models import (
    BatchDetailOut,
    BatchListOut,
    batch_detail_out,
    batch_list_out,
)
from alpha_monday.api.caching import CACHE_CHANGING, CACHE_COMPLETED
from alpha_monday.api.errors import documented_responses
from alpha_monday.api.params import CanonicalUuid, IsoDate
from alpha_monday.api.routes import Connect, json_response
from alpha_monday.config import ApiSettings
from alpha_monday.db.views import views


def batch_routes(connect: Connect, settings: ApiSettings) -> APIGatewayRouter:
    """GET /latest, /batches and /batches/{batch_id}."""
    router = APIGatewayRouter()  # type: ignore[no-untyped-call]

    @router.get(
        "/latest",
        summary="The batch with the most recent run date, in detail",
        operation_id="getLatestBatch",
        responses=documented_responses(
            BatchDetailOut, HTTPStatus.NOT_FOUND, HTTPStatus.SERVICE_UNAVAILABLE
        ),
    )
    def latest() -> Response[str]:
        return json_response(batch_detail_out(views(connect).latest_batch()), CACHE_CHANGING)

    @router.get(
        "/batches",
        summary="Batches, newest first, with their picks and latest returns",
        operation_id="listBatches",
        responses=documented_responses(
            BatchListOut, HTTPStatus.BAD_REQUEST, HTTPStatus.SERVICE_UNAVAILABLE
        ),
    )
    def list_batches(
        limit: Annotated[int, Query(ge=1, le=100, description="page size")] = 20,
        cursor: Annotated[
            IsoDate | None,
            Query(description="next_cursor of the previous page: the page holds older run dates"),
        ] = None,
    ) -> Response[str]:
        return json_response(
            batch_list_out(views(connect).batches_page(limit, cursor)), CACHE_CHANGING
        )

    @router.get(
        "/batches/<batch_id>",
        summary="One batch: picks, and checkpoints in date order with each pick's returns",
        operation_id="getBatch",
        responses=documented_responses(
            BatchDetailOut,
            HTTPStatus.BAD_REQUEST,
            HTTPStatus.NOT_FOUND,
            HTTPStatus.SERVICE_UNAVAILABLE,
        ),
    )
    def get_batch(
        batch_id: Annotated[
            CanonicalUuid, Path(description="the batch's id, canonical: lowercase 8-4-4-4-12")
        ],
    ) -> Response[str]:
        detail = views(connect).batch_detail(batch_id)
        final = detail.batch.status == "completed"
        return json_response(batch_detail_out(detail), CACHE_COMPLETED if final else CACHE_CHANGING)

    return router
