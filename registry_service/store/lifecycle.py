"""Opening a `Context`: the embedded database (or MONGODB_URI), the client, the clock."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from pymongo.errors import PyMongoError

from registry_service.clock import Clock
from registry_service.config import Settings
from registry_service.context import Context
from registry_service.store.database import open_client
from registry_service.store.embedded import EmbeddedDatabase
from registry_service.store.schema import ensure_indexes

log = logging.getLogger("omniflattr.store")

EMBEDDED_DB = "embedded_db"


@asynccontextmanager
async def open_context(
    settings: Settings,
    *,
    embedded_args: tuple[str, ...] = (),
    socket_timeout_ms: int | None = None,
) -> AsyncIterator[Context]:
    """The database for these settings, started if it is the embedded default.

    `socket_timeout_ms` bounds each wait for a reply: the service sets it so a database that
    hangs (rather than goes away) gives 503s instead of requests that never end; batch
    commands leave it unset, their long reads are expected.
    """
    embedded = None
    uri = settings.mongodb_uri
    if uri is None:
        embedded = EmbeddedDatabase(settings.data_dir, extra_args=embedded_args)
        uri = await embedded.start()
    client = open_client(uri, socketTimeoutMS=socket_timeout_ms)
    context = Context(settings, Clock(settings.now), client, client[settings.db_name])
    context.services[EMBEDDED_DB] = embedded
    try:
        yield context
    finally:
        await client.close()
        if embedded is not None:
            await embedded.stop()


async def keep_ensuring_indexes(context: Context) -> None:
    """Create indexes, retrying while the database is away (the service starts anyway)."""
    delay = 0.5
    while True:
        try:
            await ensure_indexes(context.db)
            return
        except PyMongoError as exc:
            log.warning("cannot create indexes yet (%s); retrying in %.1f s", exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)
