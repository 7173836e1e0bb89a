"""The Lambda entry point of the read functions: an answer the store holds is served with
one query; any other is rendered by the resolver of the function's own routes (built, and
its modules imported, on the first such request) and kept for the next one when it may be
(api/stored.py)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import psycopg
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from alpha_monday.api.proxy import is_rest_proxy_event, resolve
from alpha_monday.api.routes import Connect, Routes
from alpha_monday.api.stored import (
    FOUND,
    answers_release,
    keepable,
    may_be_stored,
    stored_answers,
)
from alpha_monday.config import api_settings, database_settings
from alpha_monday.db.answer_store import Lookup, StoredAnswer, keep, look_up
from alpha_monday.db.connection import get_connection
from alpha_monday.domain.errors import DatabaseUnavailable
from alpha_monday.observability import logger

LambdaHandler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


def lambda_handler_for(load_routes: Callable[[], Routes], *, store: bool = True) -> LambdaHandler:
    """A read function's handler: what the store holds is served by the store's resolver,
    built at cold start; the rest by the resolver of `load_routes()`, built on first need
    (`store=False`: everything)."""
    # Read now (without fetching the secret), so a missing setting names itself.
    database_settings()
    settings = api_settings()
    release = answers_release(settings)
    stored = stored_answers(settings) if store else None
    # A request tries to connect once: the store's look-up and the routes share the attempt,
    # so a database that is down is a 503 after one connect timeout, not two.
    unreachable: list[DatabaseUnavailable] = []

    def connect() -> psycopg.Connection:
        if unreachable:
            raise unreachable[0]
        try:
            return get_connection()
        except DatabaseUnavailable as error:
            unreachable.append(error)
            raise

    @cache
    def routes_app() -> APIGatewayRestResolver:
        from alpha_monday.api.app import create_app  # noqa: PLC0415 - on the first render

        return create_app(settings, connect, load_routes())

    def render(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        from alpha_monday.api.app import respond  # noqa: PLC0415 - on the first render

        return respond(routes_app(), event, context)

    @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
    def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        unreachable.clear()
        if stored is None or not (is_rest_proxy_event(event) and may_be_stored(event)):
            return render(event, context)
        found = _look_up(connect, event["path"], release)
        if found is not None and found.answer is not None:
            stored.append_context(**{FOUND: found.answer})  # type: ignore[no-untyped-call]
            return resolve(stored, event, context)
        result = render(event, context)
        answer = keepable(event, result)
        if found is not None and answer is not None:
            _keep(connect, event["path"], release, found.generation, answer)
        return result

    return lambda_handler


def _look_up(connect: Connect, path: str, release: str) -> Lookup | None:
    """The store's answer for `path`, if it can be asked (None: render it, and the routes'
    error model says what is wrong, a 503 when the database is down)."""
    try:
        return look_up(connect(), path, release)
    except Exception as error:
        logger.warning("answer store unavailable", extra={"error": type(error).__name__})
        return None


def _keep(connect: Connect, path: str, release: str, generation: int, answer: StoredAnswer) -> None:
    try:
        kept = keep(connect(), path, release, generation, answer)
    except Exception as error:
        # The answer was given; only the next request's shortcut is lost.
        logger.warning("answer not kept", extra={"error": type(error).__name__})
        return
    logger.debug("answer kept" if kept else "answer outdated, not kept", extra={"path": path})
