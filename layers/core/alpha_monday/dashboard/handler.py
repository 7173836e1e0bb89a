"""The pages people open: GET / (the dashboard), /weeks/{run_date}, /feed.atom,
/data/{table}.csv (the open data), /analysis-plan and /favicon.ico, on the shared resolver
(its CORS, and its JSON error model for the API).

A page's own failures are pages too: a bad parameter is an HTML 400, an unknown week an
HTML 404, the database down an HTML 503, each rendered at this boundary.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import cache
from http import HTTPStatus
from pathlib import Path

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from alpha_monday.api.caching import CACHE_CHANGING, CACHE_COMPLETED, CACHE_NEVER
from alpha_monday.api.models import ANALYSIS_PLAN
from alpha_monday.api.params import ORIGIN_LIST, parse_origins
from alpha_monday.api.routes import Connect
from alpha_monday.config import ApiSettings
from alpha_monday.dashboard.page import (
    ALL_ORIGINS,
    dashboard_html,
    error_html,
    feed_atom,
    week_html,
)
from alpha_monday.db.track_record import track_record_of
from alpha_monday.db.translate import translated_database_errors
from alpha_monday.db.views import views
from alpha_monday.domain.dates import parse_iso_date
from alpha_monday.domain.errors import BatchNotFound, DatabaseUnavailable, UnknownOpenTable
from alpha_monday.domain.model import BatchOrigin
from alpha_monday.observability import logger

HISTORY_PAGE = 10
FEED_WEEKS = 20
CSV = "text/csv; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
HTML = "text/html; charset=utf-8"
PLAIN_TEXT = "text/plain; charset=utf-8"
SVG = "image/svg+xml"
# A link to docs/analysis-plan.md, so the layer ships the very text the repository holds.
ANALYSIS_PLAN_FILE = Path(__file__).resolve().parent.parent / "analysis-plan.md"
FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    '<rect width="32" height="32" rx="6" fill="#1f77b4"/>'
    '<path d="M6 23 L13 15 L18 19 L26 9" stroke="#fff" stroke-width="3" fill="none"/></svg>'
)


class InvalidPageRequest(ValueError):
    """A page's parameter that cannot be read, with what it should be."""


@cache
def _analysis_plan() -> str:
    return ANALYSIS_PLAN_FILE.read_text(encoding="utf-8")


def _origins(text: str) -> tuple[BatchOrigin, ...]:
    if not re.fullmatch(ORIGIN_LIST, text):
        raise InvalidPageRequest(
            f"origin must be live, retrospective or simulated, comma-separated; got {text!r}"
        )
    return parse_origins(text)


def _date(name: str, text: str) -> date:
    try:
        return parse_iso_date(text)
    except ValueError:
        raise InvalidPageRequest(f"{name} must be a date as YYYY-MM-DD; got {text!r}") from None


def _html(status: HTTPStatus, body: str, cache_control: str) -> Response[str]:
    return Response(status.value, HTML, body, {"Cache-Control": cache_control})


def _error_page(status: HTTPStatus, message: str) -> Response[str]:
    return _html(status, error_html(status.value, status.phrase, message), CACHE_NEVER)


def _page(build: Callable[[], Response[str]]) -> Response[str]:
    """This boundary's translation: each failure a person can meet becomes its page."""
    try:
        with translated_database_errors():
            return build()
    except InvalidPageRequest as error:
        return _error_page(HTTPStatus.BAD_REQUEST, str(error))
    except (BatchNotFound, UnknownOpenTable) as error:
        return _error_page(HTTPStatus.NOT_FOUND, f"{error}.")
    except DatabaseUnavailable as error:
        logger.error("database unavailable", extra={"reason": str(error)})
        return _error_page(
            HTTPStatus.SERVICE_UNAVAILABLE,
            "The results are unavailable right now (the database did not answer). "
            "Please try again in a minute.",
        )


def dashboard_routes(connect: Connect, settings: ApiSettings) -> APIGatewayRouter:
    """The pages, reading through `connect`."""
    router = APIGatewayRouter()  # type: ignore[no-untyped-call]

    def query(name: str) -> str | None:
        return router.current_event.get_query_string_value(name)

    @router.get("/", include_in_schema=False)
    def dashboard() -> Response[str]:
        def build() -> Response[str]:
            origins = _origins(query("origin") or "live")
            before_text = query("before")
            before = None if before_text is None else _date("before", before_text)
            read = views(connect)
            try:
                latest = read.latest_batch()
            except BatchNotFound:
                latest = None
            record = track_record_of(connect(), origins, settings.power_edge_pct)
            elsewhere = (
                track_record_of(connect(), ALL_ORIGINS, settings.power_edge_pct).overall
                if record.overall.batches == 0 and origins != ALL_ORIGINS
                else None
            )
            html = dashboard_html(
                latest,
                read.batches_page(HISTORY_PAGE, before),
                record,
                origins,
                elsewhere=elsewhere,
                newer=None if before is None else read.newer_page_before(before, HISTORY_PAGE),
                newest_page=before is None,
            )
            return _html(HTTPStatus.OK, html, CACHE_CHANGING)

        return _page(build)

    @router.get("/weeks/<run_date>", include_in_schema=False)
    def week(run_date: str) -> Response[str]:
        def build() -> Response[str]:
            shown = views(connect).week(_date("the week", run_date))
            final = shown.detail.batch.status == "completed" and shown.next_run_date is not None
            return _html(
                HTTPStatus.OK, week_html(shown), CACHE_COMPLETED if final else CACHE_CHANGING
            )

        return _page(build)

    @router.get("/feed.atom", include_in_schema=False)
    def feed() -> Response[str]:
        def build() -> Response[str]:
            atom = feed_atom(views(connect).recent_weeks(FEED_WEEKS), datetime.now(UTC))
            return Response(200, ATOM, atom, {"Cache-Control": CACHE_CHANGING})

        return _page(build)

    @router.get("/data/<file>", include_in_schema=False)
    def open_data(file: str) -> Response[str]:
        def build() -> Response[str]:
            table = file.removesuffix(".csv") if file.endswith(".csv") else f"{file} (not .csv)"
            csv = views(connect).open_table_csv(table)
            return Response(200, CSV, csv, {"Cache-Control": CACHE_CHANGING})

        return _page(build)

    @router.get(ANALYSIS_PLAN, include_in_schema=False)
    def analysis_plan() -> Response[str]:
        # The plan's Markdown as plain text: every browser shows it as written.
        return Response(200, PLAIN_TEXT, _analysis_plan(), {"Cache-Control": CACHE_CHANGING})

    @router.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response[str]:
        return Response(200, SVG, FAVICON, {"Cache-Control": CACHE_COMPLETED})

    return router
