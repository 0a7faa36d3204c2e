"""HTTP routes of the ledger (thin: auth and validation declared, work in the services)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from aiohttp import web

from registry_service.api.state import CONTEXT
from registry_service.ledger import tasks, things
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
    context = app[CONTEXT]
    task = asyncio.create_task(tasks.loop(context), name="ledger-background")
    yield
    running = [task, *context.services.get(admin.RUNNING, {}).values()]
    for job in running:
        job.cancel()
    for job in running:
        with contextlib.suppress(asyncio.CancelledError):
            await job
    await things.flush_counts(context)


def setup(app: web.Application) -> None:
    """Add the routes; settle past months and expire escrow in the background."""
    for group in ROUTE_GROUPS:
        group.add_to(app)
    app.cleanup_ctx.append(_background)
