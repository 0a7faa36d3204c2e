"""The one middleware of the service: the error model (never a traceback, never a 500 for
bad input) and the per-request metrics.

One middleware rather than two: each layer is a coroutine per request, and both jobs need
the same try block around the handler.
"""

from __future__ import annotations

import logging
from time import perf_counter

from aiohttp import web
from pymongo.errors import ConnectionFailure, ExecutionTimeout, WaitQueueTimeoutError

from registry_service.api.errors import ApiError, DatabaseUnavailable, error_response
from registry_service.metrics import DATABASE_ERRORS, HTTP

log = logging.getLogger("omniflattr.http")

DATABASE_AWAY = (ConnectionFailure, WaitQueueTimeoutError, ExecutionTimeout)

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "unsupported_media_type",
}

HTML_ERROR_RENDERER = web.AppKey("html_error_renderer", object)


def _render(request: web.Request, error: ApiError) -> web.StreamResponse:
    renderer = request.app.get(HTML_ERROR_RENDERER)
    if (
        renderer is not None
        and not request.path.startswith("/api/")
        and "text/html" in request.headers.get("Accept", "")
    ):
        return renderer(request, error)
    return error.to_response()


def _http_error(request: web.Request, exc: web.HTTPException) -> web.StreamResponse:
    code = _HTTP_CODES.get(exc.status, "http_error")
    message = {
        404: f"There is nothing at {request.path}.",
        405: f"{request.method} is not allowed on {request.path}.",
    }.get(exc.status, exc.reason)
    headers = {k: v for k, v in exc.headers.items() if k.lower() in ("allow", "retry-after")}
    return _render(request, ApiError(code, message, status=exc.status, headers=headers))


def _route_of(request: web.Request) -> str:
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else "unmatched"


@web.middleware
async def api_middleware(request: web.Request, handler) -> web.StreamResponse:
    started = perf_counter()
    try:
        response = await handler(request)
    except ApiError as exc:
        response = _render(request, exc)
    except web.HTTPException as exc:
        if exc.status < 400:  # a redirect raised by a page: aiohttp sends it as it is
            HTTP.observe(request.method, _route_of(request), exc.status, perf_counter() - started)
            raise
        response = _http_error(request, exc)
    except DATABASE_AWAY:
        DATABASE_ERRORS.inc()
        log.warning("database unavailable during %s %s", request.method, request.path)
        response = _render(request, DatabaseUnavailable())
    except Exception:
        log.exception("unexpected error in %s %s", request.method, request.path)
        response = error_response(
            500,
            "internal_error",
            "Something went wrong on our side; it was logged. Nothing was lost.",
        )
    HTTP.observe(request.method, _route_of(request), response.status, perf_counter() - started)
    return response
