"""A change-version counter that tells every process's resolver cache to drop stale entries.

Whoever changes what the resolver reads calls `announce_change`: it increments one
document's `version` in the database (seen by every process within its poll interval)
and a counter in this process (seen by this process's resolvers at once).
"""

from __future__ import annotations

import logging

from pymongo.asynchronous.database import AsyncDatabase

log = logging.getLogger("omniflattr.resolve")

COLLECTION = "change_versions"
RESOLVE_VERSION_ID = "resolve"

_local_changes = 0


def local_changes() -> int:
    """How many changes this process announced (resolvers compare it on every call)."""
    return _local_changes


async def announce_change(db: AsyncDatabase, reason: str) -> None:
    """Call after changing anything the resolver reads (claims, delegations, signals, aliases)."""
    global _local_changes
    try:
        await db[COLLECTION].update_one(
            {"_id": RESOLVE_VERSION_ID},
            {"$inc": {"version": 1}, "$set": {"reason": reason[:200]}},
            upsert=True,
        )
    finally:
        _local_changes += 1
    log.debug("resolver change announced: %s", reason)


async def current_version(db: AsyncDatabase) -> int:
    # An `aggregate`, not a `find`: every service process polls this in the background, and
    # fault injection on `find` commands (tests of outages) must hit the request under test.
    cursor = await db[COLLECTION].aggregate(
        [{"$match": {"_id": RESOLVE_VERSION_ID}}, {"$project": {"version": 1}}]
    )
    docs = await cursor.to_list(1)
    return int(docs[0]["version"]) if docs else 0
