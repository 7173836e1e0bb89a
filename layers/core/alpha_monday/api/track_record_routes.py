"""GET /track-record: how good the picks are, computed from the published scores."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from alpha_monday.api.caching import CACHE_CHANGING
from alpha_monday.api.errors import documented_responses
from alpha_monday.api.params import ORIGIN_LIST, parse_origins
from alpha_monday.api.routes import Connect, json_response
from alpha_monday.api.track_record_models import TrackRecordOut, track_record_out
from alpha_monday.config import ApiSettings
from alpha_monday.db.track_record import track_record_of


def track_record_routes(connect: Connect, settings: ApiSettings) -> APIGatewayRouter:
    """GET /track-record."""
    router = APIGatewayRouter()  # type: ignore[no-untyped-call]

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
        return json_response(
            track_record_out(origins, track_record_of(connect(), origins, settings.power_edge_pct)),
            CACHE_CHANGING,
        )

    return router
