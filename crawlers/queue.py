"""The crawl job queue in MongoDB, shared by worker processes on any number of machines.

One document per normalised URL (`_id`), so queuing a URL twice is one job. States:
`queued` (waiting, from `not_before`), `leased` (a worker has it until `lease_expires_at`;
an expired lease makes the job leasable again, so a crashed worker's job comes back),
`scheduled` (crawled; re-crawl due at `not_before`), `dead` (gave up; `last_error` says why).
Leasing is one atomic `find_one_and_update`, highest priority first.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from pymongo import DESCENDING, ReturnDocument, UpdateOne
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
    # The conditional-GET headers of the page's last crawl: a re-crawl sends them at once,
    # without reading the stored record first.
    validators: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_doc(cls, doc: dict) -> Job:
        return cls(
            doc["_id"],
            int(doc.get("priority", PRIORITY_RESOLVE)),
            doc.get("reason", ""),
            int(doc.get("attempts", 0)),
            doc.get("lease_owner", ""),
            doc["lease_expires_at"],
            dict(doc.get("validators") or {}),
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


def _due(now: datetime, skip_sites: Iterable[str] = ()) -> dict:
    """Jobs that may be leased now: due ones, and ones whose lease ran out."""
    due = {
        "$or": [
            {"state": {"$in": ["queued", "scheduled"]}, "not_before": {"$lte": now}},
            {"state": "leased", "lease_expires_at": {"$lte": now}},
        ]
    }
    skip = list(skip_sites)
    return {"$and": [due, {"site": {"$nin": skip}}]} if skip else due


def _take(worker_id: str, lease_seconds: float, now: datetime, **extra) -> dict:
    return {
        "$set": {
            "state": "leased",
            "lease_owner": worker_id,
            "lease_expires_at": now + timedelta(seconds=lease_seconds),
            "leased_at": now,
            "updated_at": now,
            **extra,
        },
        "$inc": {"attempts": 1},
    }


LEASE_ORDER = [("priority", DESCENDING), ("not_before", 1)]


async def lease(
    db: AsyncDatabase,
    worker_id: str,
    *,
    lease_seconds: float,
    now: datetime | None = None,
    skip_sites: Iterable[str] = (),
) -> Job | None:
    """Take the most urgent due job for `lease_seconds`, atomically; None when none is due.

    Jobs of `skip_sites` (sites whose politeness clock says "not yet") are left alone.
    """
    now = _now(now)
    doc = await db[COLLECTION].find_one_and_update(
        _due(now, skip_sites),
        _take(worker_id, lease_seconds, now),
        sort=LEASE_ORDER,
        return_document=ReturnDocument.AFTER,
    )
    return Job.from_doc(doc) if doc else None


async def lease_many(
    db: AsyncDatabase,
    worker_id: str,
    *,
    limit: int,
    lease_seconds: float,
    now: datetime | None = None,
    skip_sites: Iterable[str] = (),
    one_per_site: bool = True,
) -> list[Job]:
    """Take up to `limit` of the most urgent due jobs, at most one per site, in three
    round trips.

    The update re-checks that each candidate is still due, and each document is updated
    atomically, so a job another worker took meanwhile is not taken twice; the token
    tells which ones this call won.
    """
    if limit <= 1:
        job = await lease(
            db, worker_id, lease_seconds=lease_seconds, now=now, skip_sites=skip_sites
        )
        return [job] if job else []
    now = _now(now)
    jobs = db[COLLECTION]
    candidates: list[str] = []
    sites: set[str] = set()
    cursor = jobs.find(
        _due(now, skip_sites), {"_id": 1, "site": 1}, sort=LEASE_ORDER, limit=limit * 4
    )
    async for doc in cursor:
        site = doc.get("site") or doc["_id"]
        if (site not in sites or not one_per_site) and len(candidates) < limit:
            sites.add(site)
            candidates.append(doc["_id"])
    if not candidates:
        return []
    token = uuid.uuid4().hex
    await jobs.update_many(
        {"$and": [{"_id": {"$in": candidates}}, _due(now)]},
        _take(worker_id, lease_seconds, now, lease_token=token),
    )
    # Read back by _id (indexed): the token alone would scan the whole collection.
    mine = {"_id": {"$in": candidates}, "lease_token": token}
    won = {doc["_id"]: doc async for doc in jobs.find(mine)}
    return [Job.from_doc(won[url]) for url in candidates if url in won]


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
    validators: dict[str, str] | None = None,
    now: datetime | None = None,
) -> bool:
    """The job is done; its re-crawl is scheduled. False when the lease had been lost.

    `validators`: the conditional-GET headers the re-crawl should send (None keeps the
    job's current ones)."""
    done = Completion(job, outcome, next_crawl_at, validators)
    return (await complete_many(db, [done], now=now))[0]


@dataclass(frozen=True)
class Completion:
    job: Job
    outcome: str
    next_crawl_at: datetime
    validators: dict[str, str] | None = None


async def complete_many(
    db: AsyncDatabase, done: list[Completion], *, now: datetime | None = None
) -> list[bool]:
    """Several jobs done, in one round trip; for each, whether its lease was still ours."""
    now = _now(now)
    token = uuid.uuid4().hex
    operations = [UpdateOne(_mine(c.job), _completion(c, now, token)) for c in done]
    result = await db[COLLECTION].bulk_write(operations, ordered=False)
    if result.matched_count == len(done):
        return [True] * len(done)
    # Some lease was lost meanwhile (rare): the token tells which updates were ours.
    urls = [c.job.url for c in done]
    ours = {
        doc["_id"]
        async for doc in db[COLLECTION].find(
            {"_id": {"$in": urls}, "completion_token": token}, {"_id": 1}
        )
    }
    return [url in ours for url in urls]


def _completion(done: Completion, now: datetime, token: str) -> dict:
    job, outcome, next_crawl_at = done.job, done.outcome, done.next_crawl_at
    update = {
        "$set": {
            "completion_token": token,
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
        "$unset": {"lease_owner": "", "lease_expires_at": "", "lease_token": ""},
        "$inc": {"done_count": 1},
    }
    if done.validators is not None:
        update["$set"]["validators"] = done.validators
    return update


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
    db: AsyncDatabase,
    url: str,
    *,
    next_crawl_at: datetime,
    validators: dict[str, str] | None = None,
    now: datetime | None = None,
) -> None:
    """A page was crawled outside the queue (crawl_now): a waiting job for it is satisfied,
    and its next crawl sends that crawl's conditional-GET headers (None: send none)."""
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
                "validators": validators or {},
            }
        },
    )


async def counts(db: AsyncDatabase) -> dict[str, int]:
    """How many jobs are in each state."""
    cursor = await db[COLLECTION].aggregate([{"$group": {"_id": "$state", "n": {"$sum": 1}}}])
    return {doc["_id"]: doc["n"] async for doc in cursor}
