"""HTTP routes of this domain: thin; auth and validation are declared, work is in services."""

from __future__ import annotations

from aiohttp import web

from registry_service.api.routing import ApiRoutes

routes = ApiRoutes("ledger")


def setup(app: web.Application) -> None:
    """Add routes now; background work goes in app.cleanup_ctx and reads app[CONTEXT]."""
    routes.add_to(app)
