"""The crawl job queue in MongoDB. (Placeholder until the crawler lands.)"""

from __future__ import annotations

from collections.abc import Iterable

from pymongo.asynchronous.database import AsyncDatabase

COLLECTION = "crawl_jobs"
PRIORITY_FLATTR = 100
PRIORITY_RESOLVE = 50
PRIORITY_RECRAWL = 10


async def enqueue(
    db: AsyncDatabase, url: str, *, priority: int = PRIORITY_RESOLVE, reason: str = ""
) -> None:
    """Queue a crawl of a normalised URL; the same URL queued twice is one job."""
    await db[COLLECTION].update_one(
        {"_id": url},
        {"$setOnInsert": {"state": "queued", "reason": reason}, "$max": {"priority": priority}},
        upsert=True,
    )


async def pending(db: AsyncDatabase, urls: Iterable[str]) -> set[str]:
    """The URLs among these with a crawl queued or running."""
    cursor = db[COLLECTION].find(
        {"_id": {"$in": list(urls)}, "state": {"$in": ["queued", "leased"]}}, {"_id": 1}
    )
    return {doc["_id"] async for doc in cursor}
