"""A per-site request clock in MongoDB, shared by every worker on every machine.

A site is a registrable domain. `reserve` takes the site's next request slot atomically
(so two workers never hit one site at once faster than its interval) or says how long
to wait; `back_off` pushes the site's clock out after a 429 / 503 / Retry-After.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from crawlers.store import SITES

DEFAULT_INTERVAL = 1.0  # seconds between two requests to one site
MAX_CRAWL_DELAY = 60.0  # a robots.txt Crawl-delay above this is capped


def site_interval(default: float, crawl_delay: float | None) -> float:
    """The interval for a site: ours, or its robots.txt Crawl-delay when longer (capped)."""
    if crawl_delay is None:
        return default
    return max(default, min(float(crawl_delay), MAX_CRAWL_DELAY))


async def reserve(db: AsyncDatabase, site: str, *, interval: float, now: datetime) -> float:
    """Take the site's next slot: 0.0 when taken now, else the seconds to wait."""
    if interval <= 0:
        return 0.0
    following = now + timedelta(seconds=interval)
    try:
        taken = await db[SITES].find_one_and_update(
            {"_id": site, "next_at": {"$lte": now}},
            {"$set": {"next_at": following}},
            upsert=True,
        )
    except DuplicateKeyError:
        taken = False  # the site exists and its next slot is later
    if taken is not False:
        return 0.0
    doc = await db[SITES].find_one({"_id": site})
    if doc is None:
        return 0.0
    return max(0.001, (doc["next_at"] - now).total_seconds())


async def busy_sites(db: AsyncDatabase, *, now: datetime, limit: int = 5000) -> list[str]:
    """Sites whose next slot is still ahead: their jobs are not worth leasing now."""
    cursor = db[SITES].find({"next_at": {"$gt": now}}, {"_id": 1}, limit=limit)
    return [doc["_id"] async for doc in cursor]


async def back_off(db: AsyncDatabase, site: str, *, until: datetime, reason: str) -> None:
    """No request to this site before `until` (it asked us to slow down)."""
    await db[SITES].update_one(
        {"_id": site},
        {"$max": {"next_at": until}, "$set": {"last_backoff": reason}},
        upsert=True,
    )
