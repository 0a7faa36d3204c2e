"""Opening the MongoDB client (PyMongo's async API) and checking it answers."""

from __future__ import annotations

from pymongo import AsyncMongoClient
from pymongo.errors import PyMongoError

# Short timeouts: while the database is away, requests fail fast with 503
# instead of hanging; the driver reconnects by itself when it is back.
CLIENT_OPTIONS = dict(
    serverSelectionTimeoutMS=2000,
    connectTimeoutMS=2000,
    tz_aware=True,
    appname="omniflattr",
)


def open_client(uri: str, **overrides) -> AsyncMongoClient:
    return AsyncMongoClient(uri, **{**CLIENT_OPTIONS, **overrides})


async def ping(client: AsyncMongoClient, timeout_ms: int = 1000) -> bool:
    """True when the database answers within `timeout_ms`."""
    try:
        await client.admin.command("ping", maxTimeMS=timeout_ms)
        return True
    except PyMongoError:
        return False
