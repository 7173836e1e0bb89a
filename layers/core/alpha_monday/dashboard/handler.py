"""GET /: the dashboard, on the shared resolver (its error model, CORS and validation)."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from alpha_monday.api.resolver import (
    CACHE_CHANGING,
    CACHE_NEVER,
    ORIGIN_LIST,
    IsoDate,
    create_app,
    parse_origins,
    respond,
)
from alpha_monday.config import api_settings, database_settings
from alpha_monday.dashboard.page import dashboard_html, unavailable_html
from alpha_monday.domain import reads
from alpha_monday.errors import BatchNotFound, DatabaseUnavailable
from alpha_monday.observability import logger

HISTORY_PAGE = 10
HTML = "text/html; charset=utf-8"

router = APIGatewayRouter()  # type: ignore[no-untyped-call]


@router.get("/", include_in_schema=False)
def dashboard(
    before: Annotated[IsoDate | None, Query(description="history: older than this")] = None,
    origin: Annotated[str, Query(pattern=ORIGIN_LIST)] = "live",
) -> Response[str]:
    origins = parse_origins(origin)
    try:
        try:
            latest = reads.latest_batch()
        except BatchNotFound:
            latest = None
        page = reads.batches_page(HISTORY_PAGE, before)
        record = reads.track_record_of(origins)
    except DatabaseUnavailable as error:
        # A person gets a page that says so, not a JSON body.
        logger.error("database unavailable", extra={"reason": str(error)})
        return Response(503, HTML, unavailable_html(), {"Cache-Control": CACHE_NEVER})
    html = dashboard_html(latest, page, record, origins)
    return Response(200, HTML, html, {"Cache-Control": CACHE_CHANGING})


# Read at cold start (without fetching the secret), so a missing setting names itself.
database_settings()
app = create_app(api_settings(), router)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return respond(app, event, context)
