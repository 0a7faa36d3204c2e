"""The crawl job queue in MongoDB, shared by worker processes on any number of machines.

One document per normalised URL (`_id`), so queuing a URL twice is one job. States:
`queued` (waiting, from `not_before`), `leased` (a worker has it until `lease_expires_at`;
an expired lease makes the job leasable again, so a crashed worker's job comes back),
`scheduled` (crawled; re-crawl due at `not_before`), `dead` (gave up; `last_error` says why).
Leasing is one atomic `find_one_and_update`, highest priority first.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pymongo import DESCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from crawlers.schedule import MAX_ATTEMPTS
from crawlers.sites import site_of

COLLECTION = "crawl_jobs"
PRIORITY_FLATTR = 100
PRIORITY_RESOLVE = 50
PRIORITY_RECRAWL = 10
# A page crawled this recently is not queued again on request (a re-crawl is scheduled).
MIN_REQUEUE_INTERVAL = timedelta(hours=1)
ACTIVE_STATES = ("queued", "leased")


@dataclass(frozen=True)
class Job:
    url: str
    priority: int
    reason: str
    attempts: int
    lease_owner: str
    lease_expires_at: datetime

    @classmethod
    def from_doc(cls, doc: dict) -> Job:
        return cls(
            doc["_id"],
            int(doc.get("priority", PRIORITY_RESOLVE)),
            doc.get("reason", ""),
            int(doc.get("attempts", 0)),
            doc.get("lease_owner", ""),
            doc["lease_expires_at"],
        )


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


async def enqueue(
    db: AsyncDatabase,
    url: str,
    *,
    priority: int = PRIORITY_RESOLVE,
    reason: str = "",
    now: datetime | None = None,
) -> None:
    """Queue a crawl of a normalised URL; the same URL queued twice is one job.

    A queued or running job keeps its place and takes the higher priority; a finished one
    is queued again unless it was crawled in the last hour (its re-crawl is scheduled).
    """
    now = _now(now)
    jobs = db[COLLECTION]
    raised = await jobs.update_one(
        {"_id": url, "state": {"$in": list(ACTIVE_STATES)}}, {"$max": {"priority": priority}}
    )
    if raised.matched_count:
        return
    requeued = await jobs.update_one(
        {
            "_id": url,
            "state": {"$in": ["scheduled", "dead"]},
            "finished_at": {"$lte": now - MIN_REQUEUE_INTERVAL},
        },
        {
            "$set": {
                "state": "queued",
                "priority": priority,
                "reason": reason,
                "not_before": now,
                "attempts": 0,
                "updated_at": now,
            }
        },
    )
    if requeued.matched_count:
        return
    # A DuplicateKeyError: queued by someone else meanwhile, or crawled in the last hour.
    with contextlib.suppress(DuplicateKeyError):
        await jobs.insert_one(
            {
                "_id": url,
                "state": "queued",
                "priority": priority,
                "reason": reason,
                "site": site_of(url),
                "attempts": 0,
                "not_before": now,
                "created_at": now,
                "updated_at": now,
                "done_count": 0,
            }
        )


async def pending(db: AsyncDatabase, urls: Iterable[str]) -> set[str]:
    """The URLs among these with a crawl queued or running."""
    cursor = db[COLLECTION].find(
        {"_id": {"$in": list(urls)}, "state": {"$in": list(ACTIVE_STATES)}}, {"_id": 1}
    )
    return {doc["_id"] async for doc in cursor}


async def lease(
    db: AsyncDatabase, worker_id: str, *, lease_seconds: float, now: datetime | None = None
) -> Job | None:
    """Take the most urgent due job for `lease_seconds`, atomically; None when none is due."""
    now = _now(now)
    doc = await db[COLLECTION].find_one_and_update(
        {
            "$or": [
                {"state": {"$in": ["queued", "scheduled"]}, "not_before": {"$lte": now}},
                {"state": "leased", "lease_expires_at": {"$lte": now}},
            ]
        },
        {
            "$set": {
                "state": "leased",
                "lease_owner": worker_id,
                "lease_expires_at": now + timedelta(seconds=lease_seconds),
                "leased_at": now,
                "updated_at": now,
            },
            "$inc": {"attempts": 1},
        },
        sort=[("priority", DESCENDING), ("not_before", 1)],
        return_document=ReturnDocument.AFTER,
    )
    return Job.from_doc(doc) if doc else None


def _mine(job: Job) -> dict:
    return {"_id": job.url, "state": "leased", "lease_owner": job.lease_owner}


async def extend(db: AsyncDatabase, job: Job, *, lease_seconds: float) -> bool:
    """Keep a long job's lease; False when the lease was lost (another worker has it)."""
    until = datetime.now(UTC) + timedelta(seconds=lease_seconds)
    result = await db[COLLECTION].update_one(_mine(job), {"$set": {"lease_expires_at": until}})
    return result.matched_count == 1


async def complete(
    db: AsyncDatabase,
    job: Job,
    *,
    outcome: str,
    next_crawl_at: datetime,
    now: datetime | None = None,
) -> bool:
    """The job is done; its re-crawl is scheduled. False when the lease had been lost."""
    now = _now(now)
    result = await db[COLLECTION].update_one(
        _mine(job),
        {
            "$set": {
                "state": "scheduled",
                "priority": PRIORITY_RECRAWL,
                "reason": "re-crawl",
                "not_before": next_crawl_at,
                "finished_at": now,
                "updated_at": now,
                "last_outcome": outcome,
                "finished_by": job.lease_owner,
                "attempts": 0,
                "last_error": None,
            },
            "$unset": {"lease_owner": "", "lease_expires_at": ""},
            "$inc": {"done_count": 1},
        },
    )
    return result.matched_count == 1


async def fail(
    db: AsyncDatabase,
    job: Job,
    *,
    error: str,
    retry_at: datetime | None,
    now: datetime | None = None,
) -> str:
    """A try failed: queued again at `retry_at`, or dead (no retry, or too many tries)."""
    now = _now(now)
    dead = retry_at is None or job.attempts >= MAX_ATTEMPTS
    fields: dict = {"last_error": error, "updated_at": now}
    if dead:
        fields |= {"state": "dead", "finished_at": now}
    else:
        fields |= {"state": "queued", "not_before": retry_at}
    await db[COLLECTION].update_one(
        _mine(job), {"$set": fields, "$unset": {"lease_owner": "", "lease_expires_at": ""}}
    )
    return "dead" if dead else "retry"


async def defer(db: AsyncDatabase, job: Job, *, until: datetime, note: str = "") -> None:
    """Give the job back without counting a try (site busy, shutting down)."""
    await db[COLLECTION].update_one(
        _mine(job),
        {
            "$set": {"state": "queued", "not_before": until, "deferred": note},
            "$inc": {"attempts": -1},
            "$unset": {"lease_owner": "", "lease_expires_at": ""},
        },
    )


async def mark_crawled(
    db: AsyncDatabase, url: str, *, next_crawl_at: datetime, now: datetime | None = None
) -> None:
    """A page was crawled outside the queue (crawl_now): a waiting job for it is satisfied."""
    now = _now(now)
    await db[COLLECTION].update_one(
        {"_id": url, "state": {"$in": ["queued", "scheduled", "dead"]}},
        {
            "$set": {
                "state": "scheduled",
                "priority": PRIORITY_RECRAWL,
                "not_before": next_crawl_at,
                "finished_at": now,
                "attempts": 0,
            }
        },
    )


async def counts(db: AsyncDatabase) -> dict[str, int]:
    """How many jobs are in each state."""
    cursor = await db[COLLECTION].aggregate([{"$group": {"_id": "$state", "n": {"$sum": 1}}}])
    return {doc["_id"]: doc["n"] async for doc in cursor}
