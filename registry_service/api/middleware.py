"""Middlewares: the error model (never a traceback, never a 500 for bad input) and metrics."""

from __future__ import annotations

import logging
import time

from aiohttp import web
from pymongo.errors import ConnectionFailure, ExecutionTimeout, WaitQueueTimeoutError

from registry_service.api.errors import ApiError, DatabaseUnavailable, error_response
from registry_service.metrics import DATABASE_ERRORS, LATENCY, REQUESTS

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


def _render(request: web.Request, error: ApiError) -> web.StreamResponse:
    renderer = request.app.get(HTML_ERROR_RENDERER)
    if (
        renderer is not None
        and not request.path.startswith("/api/")
        and "text/html" in request.headers.get("Accept", "")
    ):
        return renderer(request, error)
    return error.to_response()


HTML_ERROR_RENDERER = web.AppKey("html_error_renderer", object)


@web.middleware
async def error_middleware(request: web.Request, handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as exc:
        return _render(request, exc)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = _HTTP_CODES.get(exc.status, "http_error")
        message = {
            404: f"There is nothing at {request.path}.",
            405: f"{request.method} is not allowed on {request.path}.",
        }.get(exc.status, exc.reason)
        headers = {k: v for k, v in exc.headers.items() if k.lower() in ("allow", "retry-after")}
        return _render(request, ApiError(code, message, status=exc.status, headers=headers))
    except DATABASE_AWAY:
        DATABASE_ERRORS.inc()
        log.warning("database unavailable during %s %s", request.method, request.path)
        return _render(request, DatabaseUnavailable())
    except Exception:
        log.exception("unexpected error in %s %s", request.method, request.path)
        return error_response(
            500,
            "internal_error",
            "Something went wrong on our side; it was logged. Nothing was lost.",
        )


@web.middleware
async def metrics_middleware(request: web.Request, handler) -> web.StreamResponse:
    started = time.perf_counter()
    response = await handler(request)
    info = request.match_info.route.resource
    route = info.canonical if info is not None else "unmatched"
    LATENCY.labels(route).observe(time.perf_counter() - started)
    REQUESTS.labels(request.method, route, str(response.status)).inc()
    return response
