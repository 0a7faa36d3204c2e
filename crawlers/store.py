"""Data access of the crawlers: page signals, aliases, fediverse hosts and caches.

The job queue's own queries live in `queue.py`, the per-site clock in `politeness.py`,
robots.txt in `robots.py`; every collection and index is declared here.
"""

from __future__ import annotations

from datetime import datetime

from pymongo import ASCENDING, DESCENDING, IndexModel, InsertOne, UpdateOne
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

JOBS = "crawl_jobs"
SIGNALS = "page_signals"
ALIASES = "key_aliases"
FEDIVERSE_HOSTS = "fediverse_hosts"
ROBOTS = "robots_cache"
SITES = "crawl_sites"
ORIGINS = "crawl_origins"
EXTENSION_HINTS = "extension_hints"
DUPLICATE_KEY = 11000

INDEXES: list[tuple[str, IndexModel]] = [
    (JOBS, IndexModel([("state", ASCENDING), ("not_before", ASCENDING)], name="lease_order")),
    (JOBS, IndexModel([("priority", DESCENDING), ("not_before", ASCENDING)], name="priority")),
    (JOBS, IndexModel([("lease_expires_at", ASCENDING)], name="lease_expiry")),
    (SIGNALS, IndexModel([("fetched_at", ASCENDING)], name="fetched_at")),
    (ALIASES, IndexModel([("key", ASCENDING)], name="alias_target")),
]

# What the resolver reads from a page's signals: a change here is announced.
RESOLVER_FIELDS = ("creators", "platform_key", "identities", "also_accepts", "status")


async def get_signals(db: AsyncDatabase, url: str) -> dict | None:
    return await db[SIGNALS].find_one({"_id": url})


async def get_many_signals(db: AsyncDatabase, urls: list[str]) -> list[dict | None]:
    """The stored signals of each URL (None where there are none), in one query."""
    found = {doc["_id"]: doc async for doc in db[SIGNALS].find({"_id": {"$in": urls}})}
    return [found.get(url) for url in urls]


def signals_changed(previous: dict | None, doc: dict) -> bool:
    return previous is None or any(previous.get(f) != doc.get(f) for f in RESOLVER_FIELDS)


def _signals_update(doc: dict, changed: bool) -> dict:
    fields = {**doc, "changed_at": doc["fetched_at"]} if changed else doc
    return {"$set": fields, "$unset": {"error": ""}}


async def save_signals(db: AsyncDatabase, url: str, doc: dict, previous: dict | None) -> bool:
    """Store a page's signals; True when what the resolver reads changed."""
    return (await save_many_signals(db, [(url, doc, previous)]))[0]


async def save_many_signals(
    db: AsyncDatabase, items: list[tuple[str, dict, dict | None]]
) -> list[bool]:
    """Store several pages' signals in one round trip; for each, whether it changed.

    A page seen for the first time is inserted: a batch of inserts is one write for the
    database, where each upsert is a write of its own (on a database that syncs every
    write to disk, 30 inserts cost about what one upsert does). If the page was stored
    meanwhile (another worker, a failure record), the insert fails on its `_id` and the
    page is upserted instead.
    """
    changes = [signals_changed(previous, doc) for _, doc, previous in items]
    operations = [
        InsertOne({"_id": url, **doc, "changed_at": doc["fetched_at"]})
        if previous is None
        else UpdateOne({"_id": url}, _signals_update(doc, changed), upsert=True)
        for (url, doc, previous), changed in zip(items, changes, strict=True)
    ]
    try:
        await db[SIGNALS].bulk_write(operations, ordered=False)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors", [])
        if any(error.get("code") != DUPLICATE_KEY for error in errors):
            raise
        stored_meanwhile = [items[error["index"]] for error in errors]
        await db[SIGNALS].bulk_write(
            [
                UpdateOne({"_id": url}, _signals_update(doc, True), upsert=True)
                for url, doc, _ in stored_meanwhile
            ],
            ordered=True,
        )
    return changes


async def touch_signals(db: AsyncDatabase, url: str, fetched_at: datetime) -> None:
    """A re-crawl answered 304 Not Modified: the signals stand, only the time moves."""
    await db[SIGNALS].update_one(
        {"_id": url}, {"$set": {"fetched_at": fetched_at}, "$unset": {"error": ""}}
    )


async def record_failure(
    db: AsyncDatabase, url: str, code: str, message: str, at: datetime
) -> bool:
    """Note why a page could not be read; signals stored earlier are kept. True if new."""
    result = await db[SIGNALS].update_one(
        {"_id": url},
        {
            "$set": {"error": {"code": code, "message": message, "at": at}},
            "$setOnInsert": {
                "final_url": None,
                "fetched_at": None,
                "status": None,
                "creators": [],
                "platform_key": None,
                "identities": [],
                "hints": {},
                "also_accepts": [],
                "etag": None,
                "last_modified": None,
            },
        },
        upsert=True,
    )
    return result.upserted_id is not None


async def save_alias(db: AsyncDatabase, alias: str, key: str, at: datetime) -> bool:
    """Record `alias` -> `key` (youtube:@handle -> youtube:UC...); True when it changed."""
    previous = await db[ALIASES].find_one_and_update(
        {"_id": alias}, {"$set": {"key": key, "learned_at": at}}, upsert=True
    )
    return previous is None or previous.get("key") != key


async def save_fediverse_host(db: AsyncDatabase, host: str, software: str, at: datetime) -> bool:
    """Remember a host that answered NodeInfo; True when it is new or its software changed."""
    previous = await db[FEDIVERSE_HOSTS].find_one_and_update(
        {"_id": host}, {"$set": {"software": software, "seen_at": at}}, upsert=True
    )
    return previous is None or previous.get("software") != software


async def get_origin_info(db: AsyncDatabase, origin: str) -> dict | None:
    return await db[ORIGINS].find_one({"_id": origin})


async def save_origin_info(db: AsyncDatabase, origin: str, fields: dict) -> None:
    await db[ORIGINS].update_one({"_id": origin}, {"$set": fields}, upsert=True)


async def save_extension_hints(db: AsyncDatabase, url: str, hints: dict, at: datetime) -> None:
    await db[EXTENSION_HINTS].update_one(
        {"_id": url},
        {"$set": {"hints": hints, "received_at": at}, "$inc": {"count": 1}},
        upsert=True,
    )
