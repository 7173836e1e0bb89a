"""Serves the read Lambdas on localhost, turning each HTTP request into an API Gateway event.

The routes come from template.yaml's `Api` events and each request runs the real handler
in-process, so `curl` here exercises what API Gateway would (no Docker needed).
"""

from __future__ import annotations

import base64
import re
import threading
import uuid
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from alpha_monday.api.app import unrouted_response
from alpha_monday_local.lambda_context import LocalLambdaContext
from alpha_monday_local.template import ApiRoute, Handler, api_routes, functions, load_handler

STAGE = "local"
# The read API takes no body; a bigger one than this is refused rather than read.
MAX_BODY_BYTES = 1 << 20
CONTENT_LENGTH = re.compile(r"[0-9]+")


class BadRequestHead(Exception):
    """A request whose head cannot be honoured, with the status and the error to answer."""

    def __init__(self, status: HTTPStatus, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def body_length(value: str | None) -> int:
    """The body's length from its Content-Length: digits only (RFC 9110), within bounds."""
    if value is None:
        return 0
    if not CONTENT_LENGTH.fullmatch(value.strip()):
        raise BadRequestHead(
            HTTPStatus.BAD_REQUEST,
            "invalid_request",
            f"Content-Length must be a whole number of bytes, got {value!r}",
        )
    length = int(value)
    if length > MAX_BODY_BYTES:
        raise BadRequestHead(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            "payload_too_large",
            f"Content-Length {length} exceeds the {MAX_BODY_BYTES} bytes this server reads",
        )
    return length


def proxy_event(
    method: str, raw_path: str, headers: dict[str, list[str]], route: ApiRoute | None, body: bytes
) -> dict[str, Any]:
    """An API Gateway REST proxy event, as API Gateway would build it."""
    parts = urlsplit(raw_path)
    path = unquote(parts.path)  # as API Gateway hands the path and its parameters over
    query = parse_qs(parts.query, keep_blank_values=True)
    match = route.pattern.match(path) if route else None
    return {
        "resource": route.path if route else path,
        "path": path,
        "httpMethod": method,
        "headers": {name: values[-1] for name, values in headers.items()},
        "multiValueHeaders": headers,
        "queryStringParameters": {k: v[-1] for k, v in query.items()} or None,
        "multiValueQueryStringParameters": query or None,
        "pathParameters": match.groupdict() if match and match.groupdict() else None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": route.path if route else parts.path,
            "httpMethod": method,
            "path": f"/{STAGE}{path}",
            "stage": STAGE,
            "requestId": str(uuid.uuid4()),
            "identity": {"sourceIp": "127.0.0.1"},
        },
        "body": body.decode() if body else None,
        "isBase64Encoded": False,
    }


class LocalApi:
    """Routes requests to handlers; one invocation at a time, like one Lambda container."""

    def __init__(self, template: dict[str, Any]) -> None:
        self.routes = api_routes(template)
        function_properties = functions(template)
        self.handlers: dict[str, Handler] = {
            name: load_handler(function_properties[name])
            for name in {r.function_name for r in self.routes}
        }
        self._lock = threading.Lock()

    def invoke(
        self, method: str, raw_path: str, headers: dict[str, list[str]], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        path = unquote(urlsplit(raw_path).path)
        on_path = [route for route in self.routes if route.pattern.match(path)]
        # CORS preflight is answered for every route, as API Gateway does.
        route = next((r for r in on_path if method in (r.method, "OPTIONS")), None)
        if route is None:
            status = HTTPStatus.METHOD_NOT_ALLOWED if on_path else HTTPStatus.NOT_FOUND
            code = "method_not_allowed" if on_path else "not_found"
            message = f"no route for {method} {path}"
            origin = next(iter(headers.get("Origin") or headers.get("origin") or []), None)
            status_code, error_headers, error = unrouted_response(status, code, message, origin)
            if on_path:
                allowed = sorted({r.method for r in on_path} | {"OPTIONS"})
                error_headers["Allow"] = ", ".join(allowed)
            return status_code, error_headers, error.encode()
        event = proxy_event(method, raw_path, headers, route, body)
        context = LocalLambdaContext(route.function_name, event["requestContext"]["requestId"])
        with self._lock:
            result = self.handlers[route.function_name](event, context)
        response_headers = {k: v[-1] for k, v in (result.get("multiValueHeaders") or {}).items()}
        response_headers.update(result.get("headers") or {})
        payload = result.get("body") or ""
        body_bytes = (
            base64.b64decode(payload) if result.get("isBase64Encoded") else payload.encode()
        )
        return int(result["statusCode"]), response_headers, body_bytes


def make_server(api: LocalApi, host: str, port: int) -> ThreadingHTTPServer:
    class RequestHandler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            headers: dict[str, list[str]] = {}
            for name, value in self.headers.items():
                headers.setdefault(name, []).append(value)
            try:
                length = body_length(self.headers.get("Content-Length"))
            except BadRequestHead as bad:
                # The body cannot be found on this connection: answer, then close it.
                origin = next(iter(headers.get("Origin") or []), None)
                status, response_headers, text = unrouted_response(
                    bad.status, bad.code, bad.message, origin
                )
                body = text.encode()
                self.close_connection = True
            else:
                status, response_headers, body = api.invoke(
                    self.command, self.path, headers, self.rfile.read(length) if length else b""
                )
            self.send_response(status)
            for name, value in response_headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def __getattr__(self, name: str) -> Any:
            # Every method reaches the router (as at API Gateway), which answers 404/405 itself.
            if name.startswith("do_"):
                return self._handle
            raise AttributeError(name)

        def log_message(self, format: str, *args: Any) -> None:
            print(f"{self.address_string()} {format % args}", flush=True)

    return ThreadingHTTPServer((host, port), RequestHandler)
