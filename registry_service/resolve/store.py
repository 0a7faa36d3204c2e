"""Data access of the resolver: what it reads from the collections other packages write.

`page_signals`, `key_aliases`, `fediverse_hosts` (crawlers), `delegations`, `key_owners`
(claims) and `accounts`. The resolver only reads them; `changes.py` holds the one
document it writes (the change version).
"""

from __future__ import annotations

from collections.abc import Iterable

from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

from registry_service.resolve.rules import Delegation, Signals

SIGNALS = "page_signals"
ALIASES = "key_aliases"
FEDIVERSE_HOSTS = "fediverse_hosts"
DELEGATIONS = "delegations"
KEY_OWNERS = "key_owners"
STANDING_DECLINES = "declined_keys"

# (collection, index) pairs created idempotently at start. These collections belong
# to the claims package, which declares the very same indexes (same keys, same names:
# creating an identical index twice is a no-op); they are repeated here because the
# resolver's queries depend on them.
INDEXES: list[tuple[str, IndexModel]] = [
    (KEY_OWNERS, IndexModel([("key_sha256", ASCENDING)], name="by_key_hash")),
    (STANDING_DECLINES, IndexModel([("key_sha256", ASCENDING)], name="by_key_hash")),
    (DELEGATIONS, IndexModel([("host", ASCENDING), ("revoked_at", ASCENDING)], name="by_host")),
]

_SIGNAL_FIELDS = {"creators": 1, "platform_key": 1, "fetched_at": 1, "status": 1}


async def signals_of(db: AsyncDatabase, urls: list[str]) -> dict[str, Signals]:
    if len(urls) == 1:
        doc = await db[SIGNALS].find_one({"_id": urls[0]}, _SIGNAL_FIELDS)
        return {urls[0]: Signals.from_doc(doc)} if doc else {}
    cursor = db[SIGNALS].find({"_id": {"$in": urls}}, _SIGNAL_FIELDS)
    return {doc["_id"]: Signals.from_doc(doc) async for doc in cursor}


async def aliases_of(db: AsyncDatabase, keys: Iterable[str]) -> dict[str, str]:
    keys = list(dict.fromkeys(keys))
    if not keys:
        return {}
    cursor = db[ALIASES].find({"_id": {"$in": keys}}, {"key": 1})
    return {doc["_id"]: doc["key"] async for doc in cursor if isinstance(doc.get("key"), str)}


async def known_fediverse_hosts(db: AsyncDatabase, hosts: Iterable[str]) -> set[str]:
    hosts = list(dict.fromkeys(hosts))
    if not hosts:
        return set()
    cursor = db[FEDIVERSE_HOSTS].find({"_id": {"$in": hosts}}, {"_id": 1})
    return {doc["_id"] async for doc in cursor}


async def delegation_hosts(db: AsyncDatabase) -> frozenset[str]:
    """Hosts with at least one delegation that is not revoked (a small set)."""
    hosts = await db[DELEGATIONS].distinct("host", {"revoked_at": None})
    return frozenset(h for h in hosts if isinstance(h, str))


async def delegations_for(db: AsyncDatabase, hosts: Iterable[str]) -> list[Delegation]:
    hosts = list(dict.fromkeys(hosts))
    if not hosts:
        return []
    cursor = db[DELEGATIONS].find({"host": {"$in": hosts}, "revoked_at": None})
    found = []
    async for doc in cursor:
        try:
            found.append(
                Delegation(
                    key=doc["key"],
                    claim_id=doc.get("claim_id"),
                    host=doc["host"],
                    path_prefix=doc.get("path_prefix") or "/",
                    creator_key=doc["creator_key"],
                )
            )
        except (KeyError, TypeError):
            continue  # a malformed document delegates nothing
    return found


async def accounts_by_id(db: AsyncDatabase, account_ids: Iterable) -> dict:
    ids = list(dict.fromkeys(account_ids))
    if not ids:
        return {}
    cursor = db.accounts.find({"_id": {"$in": ids}}, {"handle": 1, "display_name": 1})
    return {doc["_id"]: doc async for doc in cursor}


async def declined_by_sha256_prefix(db: AsyncDatabase, prefix: str, limit: int) -> list[str]:
    """Keys that stand declined with no owner (their claim ended) whose SHA-256 starts with
    `prefix`."""
    cursor = (
        db[STANDING_DECLINES]
        .find({"key_sha256": {"$gte": prefix, "$lt": prefix + "g"}}, {"_id": 1})
        .sort("key_sha256", ASCENDING)
        .limit(limit)
    )
    return [doc["_id"] async for doc in cursor]


async def claimed_by_sha256_prefix(db: AsyncDatabase, prefix: str, limit: int) -> list[dict]:
    """Key owners whose key's SHA-256 (lowercase hex) starts with `prefix` (index range scan)."""
    cursor = (
        db[KEY_OWNERS]
        .find(
            {"key_sha256": {"$gte": prefix, "$lt": prefix + "g"}},
            {"_id": 1, "declined": 1},
        )
        .sort("key_sha256", ASCENDING)
        .limit(limit)
    )
    return await cursor.to_list()
