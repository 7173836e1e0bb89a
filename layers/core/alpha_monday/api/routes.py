"""The JSON routes: each calls the read side once and shapes its answer; errors are raised."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Annotated

import psycopg
from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter
from pydantic import BaseModel

from alpha_monday.api.caching import CACHE_CHANGING, CACHE_COMPLETED, CACHE_NEVER
from alpha_monday.api.errors import documented_responses
from alpha_monday.api.models import (
    BatchDetailOut,
    BatchListOut,
    Health,
    TrackRecordOut,
    batch_detail_out,
    batch_list_out,
    track_record_out,
)
from alpha_monday.api.params import ORIGIN_LIST, CanonicalUuid, IsoDate, parse_origins
from alpha_monday.config import ApiSettings
from alpha_monday.db.views import database_answers, views

# How the routes reach the database: the warm container's connection on Lambda.
Connect = Callable[[], psycopg.Connection]


def _json(body: BaseModel, cache_control: str, status: HTTPStatus = HTTPStatus.OK) -> Response[str]:
    # Serialised here, once, by pydantic's core: the models were validated when built, and
    # the resolver's generic encoder would walk them again (most of a page's time).
    return Response(
        status_code=status.value,
        content_type=content_types.APPLICATION_JSON,
        body=body.model_dump_json(),
        headers={"Cache-Control": cache_control},
    )


def read_routes(connect: Connect, settings: ApiSettings) -> APIGatewayRouter:
    """GET /health, /latest, /batches, /batches/{batch_id} and /track-record."""
    router = APIGatewayRouter()  # type: ignore[no-untyped-call]

    @router.get(
        "/health",
        summary="Service and database health",
        operation_id="getHealth",
        responses=documented_responses(Health)
        | {
            HTTPStatus.SERVICE_UNAVAILABLE.value: {
                "description": "the database is unreachable",
                "content": {content_types.APPLICATION_JSON: {"model": Health}},
            }
        },
    )
    def health() -> Response[str]:
        if not database_answers(connect):
            return _json(
                Health(status="unavailable", database="unavailable"),
                CACHE_NEVER,
                HTTPStatus.SERVICE_UNAVAILABLE,
            )
        return _json(Health(status="ok", database="ok"), CACHE_NEVER)

    @router.get(
        "/latest",
        summary="The batch with the most recent run date, in detail",
        operation_id="getLatestBatch",
        responses=documented_responses(
            BatchDetailOut, HTTPStatus.NOT_FOUND, HTTPStatus.SERVICE_UNAVAILABLE
        ),
    )
    def latest() -> Response[str]:
        return _json(batch_detail_out(views(connect).latest_batch()), CACHE_CHANGING)

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
        return _json(batch_list_out(views(connect).batches_page(limit, cursor)), CACHE_CHANGING)

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
        return _json(batch_detail_out(detail), CACHE_COMPLETED if final else CACHE_CHANGING)

    @router.get(
        "/track-record",
        summary="How good the picks are: hit rate, batch alpha, and whether it could be chance",
        description="Every figure is computed from the published scores as the analysis plan "
        "(GET /analysis-plan, docs/analysis-plan.md in the repository) fixed before the data: "
        "the verdict comes from an anytime-valid confidence sequence; the fixed-sample "
        "Newey-West interval and p-value are shown beside it.",
        operation_id="getTrackRecord",
        responses=documented_responses(
            TrackRecordOut, HTTPStatus.BAD_REQUEST, HTTPStatus.SERVICE_UNAVAILABLE
        ),
    )
    def get_track_record(
        origin: Annotated[
            str,
            Query(
                pattern=ORIGIN_LIST,
                description="the origins to count, comma-separated: live, retrospective, simulated",
            ),
        ] = "live",
    ) -> Response[str]:
        origins = parse_origins(origin)
        return _json(
            track_record_out(
                origins, views(connect).track_record_of(origins, settings.power_edge_pct)
            ),
            CACHE_CHANGING,
        )

    return router
