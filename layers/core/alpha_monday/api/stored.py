"""Serving from the answer store (db/answer_store.py, docs/scale.md): a read function's
first answer to a path is rendered by its routes and kept; every container after it, cold
or warm, answers that path with one query until the published data or the release change.

Only what every client gets alike is kept: a GET of a path without a query string, a 200
that shared caches may keep. The store's resolver has no route of its own and no error
model: it serves the answer found for the request, with the same CORS as the routes'.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from alpha_monday.api.caching import CACHE_NEVER
from alpha_monday.api.proxy import cors_config
from alpha_monday.config import ApiSettings
from alpha_monday.db.answer_store import StoredAnswer
from alpha_monday.release import code_release

# Where the answer found for the request is handed to the store's resolver.
FOUND = "stored_answer"


def answers_release(settings: ApiSettings) -> str:
    """What an answer is kept under: the code and the settings that shape a body (CORS is
    added per request, so it is in here only because the settings are kept whole)."""
    return f"{code_release()} {settings.model_dump_json()}"


def may_be_stored(event: dict[str, Any]) -> bool:
    """A GET or HEAD of a path without a query: every client gets the same answer."""
    query = event.get("queryStringParameters") or event.get("multiValueQueryStringParameters")
    return event["httpMethod"] in ("GET", "HEAD") and not query


def stored_answers(settings: ApiSettings) -> APIGatewayRestResolver:
    """A resolver that serves the answer found for the request (`append_context`, under
    FOUND), with the same CORS as the routes'."""
    app = APIGatewayRestResolver(cors=cors_config(settings))

    @app.get(".+")
    def stored_answer() -> Response[str]:
        answer: StoredAnswer = app.context[FOUND]
        headers = {"Cache-Control": answer.cache_control}
        return Response(200, answer.content_type, answer.body, headers)

    return app


def keepable(event: dict[str, Any], result: dict[str, Any]) -> StoredAnswer | None:
    """The rendered answer to keep, if it may be: a GET's 200 that shared caches may keep
    (a HEAD's body is empty)."""
    if event["httpMethod"] != "GET" or result["statusCode"] != 200:
        return None
    headers = {name: values[-1] for name, values in result["multiValueHeaders"].items()}
    cache_control = headers.get("Cache-Control", CACHE_NEVER)
    if cache_control == CACHE_NEVER or result.get("isBase64Encoded"):
        return None
    return StoredAnswer(headers["Content-Type"], cache_control, result["body"])
