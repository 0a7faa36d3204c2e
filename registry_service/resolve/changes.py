"""A change-version counter that tells every process's resolver cache to drop stale entries."""

from __future__ import annotations

import logging

from pymongo.asynchronous.database import AsyncDatabase

log = logging.getLogger("omniflattr.resolve")

COLLECTION = "change_versions"
RESOLVE_VERSION_ID = "resolve"


async def announce_change(db: AsyncDatabase, reason: str) -> None:
    """Call after changing anything the resolver reads (claims, delegations, signals, aliases)."""
    await db[COLLECTION].update_one(
        {"_id": RESOLVE_VERSION_ID},
        {"$inc": {"version": 1}, "$set": {"reason": reason}},
        upsert=True,
    )


async def current_version(db: AsyncDatabase) -> int:
    doc = await db[COLLECTION].find_one({"_id": RESOLVE_VERSION_ID})
    return int(doc["version"]) if doc else 0
