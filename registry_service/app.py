"""The application factory, used by `omniflattr serve` and by the tests."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from aiohttp import web

from crawlers import service as crawler_service
from registry_service.accounts import routes as accounts
from registry_service.api import health
from registry_service.api.boundary import add_fallback
from registry_service.api.proxies import parse_networks, proxy_middleware
from registry_service.api.state import CONTEXT, ROUTE_SPECS, RUN_CRAWLER, SETTINGS
from registry_service.claims import routes as claims
from registry_service.config import Settings
from registry_service.ledger import routes as ledger
from registry_service.resolve import routes as resolve
from registry_service.store.lifecycle import keep_ensuring_indexes, open_context
from registry_service.web import setup as web_pages

# Each domain adds its routes and background work to the application.
DOMAINS = (
    accounts.setup,
    resolve.setup,
    ledger.setup,
    claims.setup,
    web_pages.setup,
    crawler_service.setup,
)

MAX_BODY_BYTES = 1024 * 1024
INDEX_WAIT_S = 15.0
REQUEST_DB_TIMEOUT_MS = 15_000


def create_app(settings: Settings, *, run_crawler: bool = True) -> web.Application:
    """Build the service. The database is opened when the application starts."""
    proxies = parse_networks(settings.trusted_proxies)
    # Handlers run inside the error boundary without a middleware (api/boundary.py): the
    # proxy one exists only behind trusted proxies.
    middlewares = [proxy_middleware(proxies)] if proxies else []
    app = web.Application(middlewares=middlewares, client_max_size=MAX_BODY_BYTES)
    app[SETTINGS] = settings
    app[RUN_CRAWLER] = run_crawler
    app[ROUTE_SPECS] = []
    app.cleanup_ctx.append(_database)  # first: the domains' own contexts read app[CONTEXT]
    health.setup(app)
    for setup in DOMAINS:
        setup(app)
    add_fallback(app)  # last: it takes every path the others do not
    return app


async def _database(app: web.Application) -> AsyncIterator[None]:
    async with open_context(app[SETTINGS], socket_timeout_ms=REQUEST_DB_TIMEOUT_MS) as context:
        app[CONTEXT] = context
        indexes = asyncio.create_task(keep_ensuring_indexes(context), name="ensure-indexes")
        # Serve once the indexes exist when the database answers (creating an index while
        # requests write to the same collection can stall the embedded database); when it
        # does not answer, start anyway and let the task finish when it is back.
        await asyncio.wait({indexes}, timeout=INDEX_WAIT_S)
        yield
        indexes.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await indexes
