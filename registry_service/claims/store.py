"""Data access of the claims domain: its collections, their indexes and every query on them.

- `claims`: one claim of one account for one key (status pending, verified, lapsed,
  transferred or withdrawn; `open` is true while pending or verified).
- `claim_events`: the append-only history (only ever inserted).
- `key_owners`: the one current owner of a key (contract in `ownership.py`).
- `declined_keys`: keys declined by an owner whose claim has ended (`ownership.py`).
- `delegations`: path prefixes of a domain handed to other creators (read by the resolver).
- `claim_notices`: what a creator is told (a proof went missing, a claim lapsed).
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from bson import ObjectId
from pymongo import ASCENDING, DESCENDING, IndexModel, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from registry_service.claims.ownership import COLLECTION as KEY_OWNERS
from registry_service.claims.ownership import STANDING_DECLINES

CLAIMS = "claims"
EVENTS = "claim_events"
DELEGATIONS = "delegations"
NOTICES = "claim_notices"

OPEN_STATUSES = ("pending", "verified")

INDEXES: list[tuple[str, IndexModel]] = [
    (
        CLAIMS,
        IndexModel(
            [("account_id", ASCENDING), ("key", ASCENDING)],
            unique=True,
            partialFilterExpression={"open": True},
            name="one_open_claim_per_account_and_key",
        ),
    ),
    (CLAIMS, IndexModel([("account_id", ASCENDING), ("created_at", DESCENDING)], name="mine")),
    (CLAIMS, IndexModel([("key", ASCENDING), ("status", ASCENDING)], name="by_key")),
    (CLAIMS, IndexModel([("status", ASCENDING), ("next_check_at", ASCENDING)], name="due")),
    (EVENTS, IndexModel([("claim_id", ASCENDING), ("at", ASCENDING)], name="by_claim")),
    (KEY_OWNERS, IndexModel([("key_sha256", ASCENDING)], name="by_key_hash")),
    (KEY_OWNERS, IndexModel([("account_id", ASCENDING)], name="by_account")),
    (STANDING_DECLINES, IndexModel([("key_sha256", ASCENDING)], name="by_key_hash")),
    (DELEGATIONS, IndexModel([("host", ASCENDING), ("revoked_at", ASCENDING)], name="by_host")),
    (DELEGATIONS, IndexModel([("claim_id", ASCENDING)], name="by_claim")),
    (NOTICES, IndexModel([("account_id", ASCENDING), ("at", DESCENDING)], name="by_account")),
]


def key_sha256(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


# --- claims -------------------------------------------------------------------------------


async def insert_claim(db: AsyncDatabase, doc: dict) -> None:
    await db[CLAIMS].insert_one(doc)


async def get_claim(db: AsyncDatabase, claim_id: ObjectId) -> dict | None:
    return await db[CLAIMS].find_one({"_id": claim_id})


async def open_claim_of(db: AsyncDatabase, account_id: ObjectId, key: str) -> dict | None:
    return await db[CLAIMS].find_one({"account_id": account_id, "key": key, "open": True})


async def latest_claim_of(db: AsyncDatabase, account_id: ObjectId, key: str) -> dict | None:
    return await db[CLAIMS].find_one(
        {"account_id": account_id, "key": key}, sort=[("created_at", -1)]
    )


async def claims_of(db: AsyncDatabase, account_id: ObjectId, limit: int = 500) -> list[dict]:
    cursor = db[CLAIMS].find({"account_id": account_id}).sort("created_at", -1).limit(limit)
    return await cursor.to_list()


async def claims_for_key(db: AsyncDatabase, key: str) -> list[dict]:
    return await db[CLAIMS].find({"key": key}).sort("created_at", 1).to_list()


async def verified_domain_claims_of(db: AsyncDatabase, account_id: ObjectId) -> list[dict]:
    query = {"account_id": account_id, "status": "verified", "key": {"$regex": "^domain:"}}
    return await db[CLAIMS].find(query).to_list()


async def update_claim(
    db: AsyncDatabase, claim_id: ObjectId, changes: dict, *, status: str | tuple | None = None
) -> dict | None:
    """Apply `changes` ($set/$inc...) if the claim is (still) in `status`; the new document."""
    query: dict = {"_id": claim_id}
    if isinstance(status, str):
        query["status"] = status
    elif status is not None:
        query["status"] = {"$in": list(status)}
    return await db[CLAIMS].find_one_and_update(
        query, changes, return_document=ReturnDocument.AFTER
    )


async def lease_due_claim(db: AsyncDatabase, now: datetime, lease_until: datetime) -> dict | None:
    """Take one verified claim whose re-check is due, pushing its next check to `lease_until`
    so that another process does not check it at the same time."""
    return await db[CLAIMS].find_one_and_update(
        {"status": "verified", "next_check_at": {"$lte": now}},
        {"$set": {"next_check_at": lease_until}},
        sort=[("next_check_at", ASCENDING)],
        return_document=ReturnDocument.BEFORE,
    )


async def alias_of(db: AsyncDatabase, key: str) -> str | None:
    """The immutable key a crawl learned for a handle-style key (collection `key_aliases`,
    written by the crawlers)."""
    doc = await db.key_aliases.find_one({"_id": key}, {"key": 1})
    return doc.get("key") if doc else None


# --- key owners ---------------------------------------------------------------------------


def owner_doc(key: str, account_id: ObjectId, claim_id: ObjectId, since: datetime) -> dict:
    return {
        "_id": key,
        "key_sha256": key_sha256(key),
        "account_id": account_id,
        "claim_id": claim_id,
        "since": since,
        "declined": False,
    }


async def get_owner(db: AsyncDatabase, key: str) -> dict | None:
    return await db[KEY_OWNERS].find_one({"_id": key})


async def insert_owner(db: AsyncDatabase, doc: dict) -> None:
    """Raises DuplicateKeyError when the key has an owner already."""
    await db[KEY_OWNERS].insert_one(doc)


async def replace_owner(db: AsyncDatabase, key: str, old_claim_id: ObjectId, doc: dict) -> bool:
    """Hand the key over, only if it still belongs to `old_claim_id`."""
    result = await db[KEY_OWNERS].replace_one({"_id": key, "claim_id": old_claim_id}, doc)
    return result.modified_count == 1


async def delete_owner(db: AsyncDatabase, key: str, claim_id: ObjectId) -> dict | None:
    """Remove `claim_id`'s ownership of `key`; the owner document as it was, or None."""
    return await db[KEY_OWNERS].find_one_and_delete({"_id": key, "claim_id": claim_id})


async def set_owner_declined(
    db: AsyncDatabase, key: str, claim_id: ObjectId, declined: bool
) -> bool:
    result = await db[KEY_OWNERS].update_one(
        {"_id": key, "claim_id": claim_id}, {"$set": {"declined": declined}}
    )
    return result.matched_count == 1


async def keep_decline(db: AsyncDatabase, claim: dict, since: datetime) -> None:
    """The key of `claim`, which declined, stays declined after the claim ends."""
    await db[STANDING_DECLINES].update_one(
        {"_id": claim["key"]},
        {
            "$setOnInsert": {
                "since": since,
                "claim_id": claim["_id"],
                "key_sha256": key_sha256(claim["key"]),
            }
        },
        upsert=True,
    )


async def drop_decline_of(db: AsyncDatabase, claim: dict) -> None:
    """Take back the standing decline `claim` left, if it is still its own."""
    await db[STANDING_DECLINES].delete_one({"_id": claim["key"], "claim_id": claim["_id"]})


async def drop_standing_decline(db: AsyncDatabase, key: str) -> bool:
    """Someone proved control of `key` again: they decide whether it takes donations."""
    result = await db[STANDING_DECLINES].delete_one({"_id": key})
    return result.deleted_count == 1


# --- history and notices (insert-only) ----------------------------------------------------


async def append_event(db: AsyncDatabase, doc: dict) -> None:
    await db[EVENTS].insert_one(doc)


async def events_of(db: AsyncDatabase, claim_id: ObjectId) -> list[dict]:
    return await db[EVENTS].find({"claim_id": claim_id}).sort([("at", 1), ("_id", 1)]).to_list()


async def insert_notice(db: AsyncDatabase, doc: dict) -> None:
    await db[NOTICES].insert_one(doc)


async def notices_of(db: AsyncDatabase, account_id: ObjectId, limit: int = 200) -> list[dict]:
    cursor = db[NOTICES].find({"account_id": account_id}).sort([("at", -1), ("_id", -1)])
    return await cursor.limit(limit).to_list()


# --- delegations --------------------------------------------------------------------------


async def insert_delegation(db: AsyncDatabase, doc: dict) -> None:
    await db[DELEGATIONS].insert_one(doc)


async def active_delegation(db: AsyncDatabase, host: str, path_prefix: str) -> dict | None:
    """An active delegation of the same path: the resolver matches whole segments, so
    `/authors/bob` and `/authors/bob/` are one prefix."""
    bare = path_prefix.rstrip("/")
    spellings = list(dict.fromkeys([bare or "/", bare + "/"]))
    return await db[DELEGATIONS].find_one(
        {"host": host, "path_prefix": {"$in": spellings}, "revoked_at": None}
    )


async def delegations_of(db: AsyncDatabase, claim_id: ObjectId) -> list[dict]:
    return await db[DELEGATIONS].find({"claim_id": claim_id}).sort("created_at", 1).to_list()


async def revoke_delegation(
    db: AsyncDatabase, claim_id: ObjectId, delegation_id: ObjectId, now: datetime
) -> dict | None:
    return await db[DELEGATIONS].find_one_and_update(
        {"_id": delegation_id, "claim_id": claim_id, "revoked_at": None},
        {"$set": {"revoked_at": now}},
        return_document=ReturnDocument.AFTER,
    )


async def revoke_delegations_of(
    db: AsyncDatabase, claim_id: ObjectId, now: datetime, reason: str
) -> int:
    result = await db[DELEGATIONS].update_many(
        {"claim_id": claim_id, "revoked_at": None},
        {"$set": {"revoked_at": now, "revoked_reason": reason}},
    )
    return result.modified_count
