"""GET /: the dashboard, on the shared resolver (its error model, CORS and validation)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from alpha_monday.api.app import create_app, respond
from alpha_monday.api.caching import CACHE_CHANGING, CACHE_NEVER
from alpha_monday.api.models import ANALYSIS_PLAN
from alpha_monday.api.params import ORIGIN_LIST, IsoDate, parse_origins
from alpha_monday.api.routes import Connect
from alpha_monday.config import ApiSettings, api_settings, database_settings
from alpha_monday.dashboard.page import dashboard_html, unavailable_html
from alpha_monday.db.connection import get_connection
from alpha_monday.db.translate import translated_database_errors
from alpha_monday.db.views import views
from alpha_monday.domain.errors import BatchNotFound, DatabaseUnavailable
from alpha_monday.observability import logger

HISTORY_PAGE = 10
HTML = "text/html; charset=utf-8"
PLAIN_TEXT = "text/plain; charset=utf-8"
# A link to docs/analysis-plan.md, so the layer ships the very text the repository holds.
ANALYSIS_PLAN_FILE = Path(__file__).resolve().parent.parent / "analysis-plan.md"


@cache
def _analysis_plan() -> str:
    return ANALYSIS_PLAN_FILE.read_text(encoding="utf-8")


def dashboard_routes(connect: Connect, settings: ApiSettings) -> APIGatewayRouter:
    """GET /: the page a person opens, and GET /analysis-plan: how its figures are made."""
    router = APIGatewayRouter()  # type: ignore[no-untyped-call]

    @router.get("/", include_in_schema=False)
    def dashboard(
        before: Annotated[IsoDate | None, Query(description="history: older than this")] = None,
        origin: Annotated[str, Query(pattern=ORIGIN_LIST)] = "live",
    ) -> Response[str]:
        origins = parse_origins(origin)
        try:
            # This page's boundary: a database failure is a page that says so, not JSON.
            with translated_database_errors():
                read = views(connect)
                try:
                    latest = read.latest_batch()
                except BatchNotFound:
                    latest = None
                page = read.batches_page(HISTORY_PAGE, before)
                record = read.track_record_of(origins, settings.power_edge_pct)
        except DatabaseUnavailable as error:
            logger.error("database unavailable", extra={"reason": str(error)})
            return Response(503, HTML, unavailable_html(), {"Cache-Control": CACHE_NEVER})
        html = dashboard_html(latest, page, record, origins)
        return Response(200, HTML, html, {"Cache-Control": CACHE_CHANGING})

    @router.get(ANALYSIS_PLAN, include_in_schema=False)
    def analysis_plan() -> Response[str]:
        # The plan's Markdown as plain text: every browser shows it as written.
        return Response(200, PLAIN_TEXT, _analysis_plan(), {"Cache-Control": CACHE_CHANGING})

    return router


# Read at cold start (without fetching the secret), so a missing setting names itself.
database_settings()
app = create_app(api_settings(), get_connection, dashboard_routes)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return respond(app, event, context)
