"""The error model of every answer, and the one place exceptions become answers.

Routes raise domain errors and never build an error body themselves; database errors are
translated into domain errors here, once, at the resolver.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import psycopg
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field

from alpha_monday.api.caching import CACHE_NEVER
from alpha_monday.db.translate import domain_error
from alpha_monday.domain.errors import BatchNotFound, DatabaseUnavailable
from alpha_monday.observability import logger


class ErrorDetail(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

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

    model_config = ConfigDict(frozen=True, defer_build=True)

    error: ErrorDetail = Field(description="the error's code and message")


def error_body(code: str, message: str) -> str:
    return ErrorBody(error=ErrorDetail(code=code, message=message)).model_dump_json()


def error_response(status: HTTPStatus, code: str, message: str) -> Response[str]:
    # Serialised here: exception handlers' responses skip the resolver's model serialisation.
    return Response(
        status_code=status.value,
        content_type=content_types.APPLICATION_JSON,
        body=error_body(code, message),
        headers={"Cache-Control": CACHE_NEVER},
    )


def documented_responses(ok: type[BaseModel], *errors: HTTPStatus) -> dict[int, Any]:
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


def register_error_handlers(app: APIGatewayRestResolver) -> None:
    """Every exception a route raises, answered with the error model."""

    @app.exception_handler(RequestValidationError)
    def _invalid_request(error: RequestValidationError) -> Response[str]:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in issue['loc'][1:]) or 'request'}: {issue['msg']}"
            for issue in error.errors()
        )
        return error_response(HTTPStatus.BAD_REQUEST, "invalid_request", problems)

    @app.exception_handler(BatchNotFound)
    def _batch_not_found(error: BatchNotFound) -> Response[str]:
        return error_response(HTTPStatus.NOT_FOUND, "not_found", str(error))

    app.exception_handler(DatabaseUnavailable)(_database_unavailable)
    app.exception_handler(Exception)(_unexpected)

    @app.exception_handler(psycopg.Error)
    def _database_error(error: psycopg.Error) -> Response[str]:
        translated = domain_error(error)
        if isinstance(translated, DatabaseUnavailable):
            return _database_unavailable(translated)
        return _unexpected(error)


def _database_unavailable(error: DatabaseUnavailable) -> Response[str]:
    logger.error("database unavailable", extra={"reason": str(error)})
    return error_response(
        HTTPStatus.SERVICE_UNAVAILABLE, "database_unavailable", "the database is unavailable"
    )


def _unexpected(_: Exception) -> Response[str]:
    # The stack trace goes to the log, never to the client.
    logger.exception("unexpected error")
    return error_response(
        HTTPStatus.INTERNAL_SERVER_ERROR, "internal_error", "an unexpected error occurred"
    )
