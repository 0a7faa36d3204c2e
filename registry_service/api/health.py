"""Operators' routes: liveness, readiness, Prometheus metrics, the OpenAPI document."""

from __future__ import annotations

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from registry_service.api.boundary import add_route
from registry_service.api.errors import RETRY_AFTER_DB_SECONDS
from registry_service.api.openapi import openapi_document
from registry_service.api.state import CONTEXT
from registry_service.metrics import DATABASE_UP
from registry_service.store.database import ping


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    up = await ping(request.app[CONTEXT].client, timeout_ms=1000)
    DATABASE_UP.set(1 if up else 0)
    if up:
        return web.json_response({"status": "ready", "database": "up"})
    return web.json_response(
        {
            "status": "not_ready",
            "database": "down",
            "error": {"code": "database_unavailable", "message": "The database does not answer."},
        },
        status=503,
        headers={"Retry-After": str(RETRY_AFTER_DB_SECONDS)},
    )


async def metrics(request: web.Request) -> web.Response:
    return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(openapi_document(request.app))


def setup(app: web.Application) -> None:
    for path, handler in (
        ("/healthz", healthz),
        ("/readyz", readyz),
        ("/metrics", metrics),
        ("/api/v1/openapi.json", openapi),
    ):
        for method in ("GET", "HEAD"):
            add_route(app, method, path, handler)
