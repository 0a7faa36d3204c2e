"""HTTP routes of the ledger (thin: auth and validation declared, work in the services)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from aiohttp import web

from registry_service.api.state import CONTEXT
from registry_service.ledger import tasks
from registry_service.ledger.routes import admin, flattrs, funding, me, payouts, public

ROUTE_GROUPS = (
    funding.routes,
    me.routes,
    flattrs.routes,
    public.routes,
    payouts.routes,
    admin.routes,
)


async def _background(app: web.Application) -> AsyncIterator[None]:
    task = asyncio.create_task(tasks.loop(app[CONTEXT]), name="ledger-background")
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def setup(app: web.Application) -> None:
    """Add the routes; settle past months and expire escrow in the background."""
    for group in ROUTE_GROUPS:
        group.add_to(app)
    app.cleanup_ctx.append(_background)
