"""The read API: routes, input validation, the error model and every exception handler.

Routes call one domain function and shape its result; they raise domain errors and never
build an error body themselves. They live on one `Router`; `create_app(settings)` builds the
resolver around it (CORS from the settings), so each read Lambda, the local server and the
OpenAPI document serve the very same routes.
"""

from __future__ import annotations

import json
import re
from datetime import date
from http import HTTPStatus
from typing import Annotated, Any, cast
from uuid import UUID

from aws_lambda_powertools.event_handler import (
    APIGatewayRestResolver,
    CORSConfig,
    Response,
    content_types,
)
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from alpha_monday.api.models import (
    BatchDetailOut,
    BatchListOut,
    Health,
    TrackRecordOut,
    batch_detail_out,
    batch_list_out,
    track_record_out,
)
from alpha_monday.config import ApiSettings, api_settings
from alpha_monday.db.models import BatchOrigin
from alpha_monday.domain import reads
from alpha_monday.domain.dates import parse_iso_date
from alpha_monday.errors import BatchNotFound, DatabaseUnavailable
from alpha_monday.observability import logger

API_TITLE = "Alpha Monday"
API_VERSION = "1.0.0"

# A completed batch never changes again; everything else may change within the day (a
# failed batch becomes active again when it is resumed).
CACHE_COMPLETED = "public, max-age=86400, immutable"
CACHE_CHANGING = "public, max-age=60"
CACHE_NEVER = "no-store"
# Access-Control-Allow-Origin echoes the request's Origin (even with "*" allowed), so a
# shared cache must keep one copy per Origin.
VARY = {"Vary": "Origin"}


def _iso_date_text(value: object) -> object:
    # Lax pydantic would read "0" as a Unix timestamp; a cursor is a YYYY-MM-DD date only.
    return parse_iso_date(value) if isinstance(value, str) else value


IsoDate = Annotated[date, BeforeValidator(_iso_date_text)]

CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _canonical_uuid_text(value: object) -> object:
    # One batch, one URL: uppercase, braces, no dashes or urn:uuid: would be cached apart.
    if isinstance(value, str) and not CANONICAL_UUID.fullmatch(value):
        raise ValueError("must be a UUID in its canonical form: lowercase, 8-4-4-4-12 digits")
    return value


CanonicalUuid = Annotated[UUID, BeforeValidator(_canonical_uuid_text)]


class ErrorDetail(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str = Field(
        description="stable machine-readable code: invalid_request, not_found, "
        "method_not_allowed (the local server only; API Gateway answers not_found), "
        "database_unavailable, internal_error",
        examples=["not_found"],
    )
    message: str = Field(
        description="what went wrong, for people", examples=["no batch with id 3f0c8a52-..."]
    )


class ErrorBody(BaseModel):
    """Every error response: `{"error": {"code": ..., "message": ...}}`."""

    model_config = ConfigDict(frozen=True)

    error: ErrorDetail = Field(description="the error's code and message")


def _error_body(code: str, message: str) -> str:
    return ErrorBody(error=ErrorDetail(code=code, message=message)).model_dump_json()


def _error_response(status: HTTPStatus, code: str, message: str) -> Response[str]:
    # Serialised here: exception handlers' responses skip the resolver's model serialisation.
    return Response(
        status_code=status.value,
        content_type=content_types.APPLICATION_JSON,
        body=_error_body(code, message),
        headers={"Cache-Control": CACHE_NEVER},
    )


def _responses(ok: type[BaseModel], *errors: HTTPStatus) -> dict[int, Any]:
    """The OpenAPI responses of a route: its 200 model and the error statuses it can return."""
    documented: dict[int, Any] = {
        HTTPStatus.OK.value: {
            "description": "OK",
            "content": {content_types.APPLICATION_JSON: {"model": ok}},
        }
    }
    for status in (*errors, HTTPStatus.INTERNAL_SERVER_ERROR):
        documented[status.value] = {
            "description": status.phrase,
            "content": {content_types.APPLICATION_JSON: {"model": ErrorBody}},
        }
    return documented


def invalid_event_response(reason: str) -> dict[str, Any]:
    """A 400 in API Gateway's proxy form, for an event the resolver cannot even route."""
    return {
        "statusCode": HTTPStatus.BAD_REQUEST.value,
        "headers": {
            "Content-Type": content_types.APPLICATION_JSON,
            "Cache-Control": CACHE_NEVER,
            **VARY,
        },
        "body": _error_body("invalid_request", reason),
        "isBase64Encoded": False,
    }


def respond(
    resolver: APIGatewayRestResolver, event: dict[str, Any], context: LambdaContext
) -> dict[str, Any]:
    """Route an API Gateway event; anything else is a JSON 400, never a KeyError."""
    if not isinstance(event.get("httpMethod"), str) or not isinstance(event.get("path"), str):
        return invalid_event_response(
            "not an API Gateway REST proxy event: httpMethod and path are required"
        )
    result: dict[str, Any] = resolver.resolve(event, context)
    multi_value = result.setdefault("multiValueHeaders", {})
    for name, value in VARY.items():
        multi_value[name] = [value]
    return result


def unrouted_response(
    status: HTTPStatus, code: str, message: str, origin: str | None
) -> tuple[int, dict[str, str], str]:
    """An error answered before any route (the local server's 404 and 405), with the same
    body, Cache-Control and CORS headers as every routed response."""
    headers = {
        "Content-Type": content_types.APPLICATION_JSON,
        "Cache-Control": CACHE_NEVER,
        **_cors(api_settings()).to_dict(origin),
        **VARY,
    }
    return status.value, headers, _error_body(code, message)


def _cors(settings: ApiSettings) -> CORSConfig:
    origins = settings.cors_allow_origins
    return CORSConfig(allow_origin=origins[0], extra_origins=list(origins[1:]), max_age=600)


router = APIGatewayRouter()  # type: ignore[no-untyped-call]


def create_app(settings: ApiSettings, *pages: APIGatewayRouter) -> APIGatewayRestResolver:
    """The read API's resolver: the routes and error handlers of `router` (and of any
    `pages`: the dashboard), CORS as set."""
    app = APIGatewayRestResolver(enable_validation=True, cors=_cors(settings))
    for routes in (router, *pages):
        app.include_router(routes)

    @app.not_found
    def _route_not_found(_: Exception) -> Response[str]:
        path = app.current_event.path
        return _error_response(HTTPStatus.NOT_FOUND, "not_found", f"no route for {path}")

    return app


@router.exception_handler(RequestValidationError)
def _invalid_request(error: RequestValidationError) -> Response[str]:
    problems = "; ".join(
        f"{'.'.join(str(part) for part in issue['loc'][1:]) or 'request'}: {issue['msg']}"
        for issue in error.errors()
    )
    return _error_response(HTTPStatus.BAD_REQUEST, "invalid_request", problems)


@router.exception_handler(BatchNotFound)
def _batch_not_found(error: BatchNotFound) -> Response[str]:
    return _error_response(HTTPStatus.NOT_FOUND, "not_found", str(error))


@router.exception_handler(DatabaseUnavailable)
def _database_unavailable(error: DatabaseUnavailable) -> Response[str]:
    logger.error("database unavailable", extra={"reason": str(error)})
    return _error_response(
        HTTPStatus.SERVICE_UNAVAILABLE, "database_unavailable", "the database is unavailable"
    )


@router.exception_handler(Exception)
def _unexpected(_: Exception) -> Response[str]:
    # The stack trace goes to the log, never to the client.
    logger.exception("unexpected error")
    return _error_response(
        HTTPStatus.INTERNAL_SERVER_ERROR, "internal_error", "an unexpected error occurred"
    )


def _json(body: BaseModel, cache_control: str, status: HTTPStatus = HTTPStatus.OK) -> Response[str]:
    # Serialised here, once, by pydantic's core: the models were validated when built, and
    # the resolver's generic encoder would walk them again (most of a page's time).
    return Response(
        status_code=status.value,
        content_type=content_types.APPLICATION_JSON,
        body=body.model_dump_json(),
        headers={"Cache-Control": cache_control},
    )


@router.get(
    "/health",
    summary="Service and database health",
    operation_id="getHealth",
    responses=_responses(Health)
    | {
        HTTPStatus.SERVICE_UNAVAILABLE.value: {
            "description": "the database is unreachable",
            "content": {content_types.APPLICATION_JSON: {"model": Health}},
        }
    },
)
def health() -> Response[str]:
    try:
        reads.check_database()
    except DatabaseUnavailable:
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
    responses=_responses(BatchDetailOut, HTTPStatus.NOT_FOUND, HTTPStatus.SERVICE_UNAVAILABLE),
)
def latest() -> Response[str]:
    return _json(batch_detail_out(reads.latest_batch()), CACHE_CHANGING)


@router.get(
    "/batches",
    summary="Batches, newest first, with their picks and latest returns",
    operation_id="listBatches",
    responses=_responses(BatchListOut, HTTPStatus.BAD_REQUEST, HTTPStatus.SERVICE_UNAVAILABLE),
)
def list_batches(
    limit: Annotated[int, Query(ge=1, le=100, description="page size")] = 20,
    cursor: Annotated[
        IsoDate | None,
        Query(description="next_cursor of the previous page: the page holds older run dates"),
    ] = None,
) -> Response[str]:
    return _json(batch_list_out(reads.batches_page(limit, cursor)), CACHE_CHANGING)


@router.get(
    "/batches/<batch_id>",
    summary="One batch: picks, and checkpoints in date order with each pick's returns",
    operation_id="getBatch",
    responses=_responses(
        BatchDetailOut, HTTPStatus.BAD_REQUEST, HTTPStatus.NOT_FOUND, HTTPStatus.SERVICE_UNAVAILABLE
    ),
)
def get_batch(
    batch_id: Annotated[
        CanonicalUuid, Path(description="the batch's id, canonical: lowercase 8-4-4-4-12")
    ],
) -> Response[str]:
    detail = reads.batch_detail(batch_id)
    final = detail.batch.status == "completed"
    return _json(batch_detail_out(detail), CACHE_COMPLETED if final else CACHE_CHANGING)


ORIGIN_LIST = r"^(live|retrospective|simulated)(,(live|retrospective|simulated))*$"


def parse_origins(origin: str) -> tuple[BatchOrigin, ...]:
    """`?origin=` (already matched against ORIGIN_LIST) as origins, each once, in order."""
    return tuple(dict.fromkeys(cast("list[BatchOrigin]", origin.split(","))))


@router.get(
    "/track-record",
    summary="How good the picks are: hit rate, batch alpha, and whether it could be chance",
    operation_id="getTrackRecord",
    responses=_responses(TrackRecordOut, HTTPStatus.BAD_REQUEST, HTTPStatus.SERVICE_UNAVAILABLE),
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
    return _json(track_record_out(origins, reads.track_record_of(origins)), CACHE_CHANGING)


def openapi_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        create_app(ApiSettings()).get_openapi_json_schema(
            title=API_TITLE,
            version=API_VERSION,
            description="Read-only results of Alpha Monday's weekly language-model stock picks. "
            "Every Monday a model picks three US stocks, BUY (will beat SPY over two weeks) or "
            "SELL (will trail it); each day's returns are measured from the last close before "
            "the Monday. Prices are exact decimal strings as the provider sent them; returns "
            "are percent at 6 decimal places (half-even).",
        )
    )
    # Powertools documents its default 422; this API answers invalid input with 400 instead.
    for operations in document["paths"].values():
        for operation in operations.values():
            operation["responses"].pop("422", None)
    schemas = document["components"]["schemas"]
    for unused in ("HTTPValidationError", "ValidationError", "ResponseValidationError"):
        schemas.pop(unused, None)
    return document
