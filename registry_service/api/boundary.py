"""The boundary every request handler runs in: the error model (never a traceback, never a
500 for bad input) and the per-request metrics.

Each route's handler is wrapped once, when `add_route` adds it, rather than by a
middleware: aiohttp runs a middleware, and whenever there is one a second of its own, as
coroutine layers around every request (~5 µs a request here, an eighth of a cached
resolve). Paths that no route takes reach the last route, `add_fallback`'s, which answers
their 404 or 405 through the same boundary.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
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


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

UNMATCHED = "unmatched"  # the metrics' route label of requests no route takes


def guard(handler: Handler, route: str) -> Handler:
    """`handler` inside the error model, its answers counted under the label `route`."""

    async def guarded(request: web.Request) -> web.StreamResponse:
        started = perf_counter()
        try:
            response = await handler(request)
        except ApiError as exc:
            response = _render(request, exc)
        except web.HTTPException as exc:
            if exc.status < 400:  # a redirect raised by a page: aiohttp sends it as it is
                HTTP.observe(request.method, route, exc.status, perf_counter() - started)
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
        HTTP.observe(request.method, route, response.status, perf_counter() - started)
        return response

    guarded.__name__ = getattr(handler, "__name__", "handler")
    return guarded


def add_route(
    app: web.Application, method: str, path: str, handler: Handler, *, name: str | None = None
) -> web.AbstractRoute:
    """Add a route whose handler runs inside the boundary (counted by its path template)."""
    resource = app.router.add_resource(path, name=name)
    return resource.add_route(method, guard(handler, resource.canonical))


async def _no_route(request: web.Request) -> web.StreamResponse:
    allowed: set[str] = set()
    for resource in request.app.router.resources():
        if resource is not request.match_info.route.resource:
            match, methods = await resource.resolve(request)
            if match is None:
                allowed |= methods
    if allowed:
        raise web.HTTPMethodNotAllowed(request.method, allowed)
    raise web.HTTPNotFound()


def add_fallback(app: web.Application) -> None:
    """The last route: every path no other route takes, answered 404 (or 405 with `Allow`
    when another route takes the path with other methods). Add it after every other route."""
    # [\s\S]: any character, also a newline a client encoded as %0A.
    app.router.add_route("*", r"/{unmatched_path:[\s\S]*}", guard(_no_route, UNMATCHED))
