"""Data access of the web pages: sessions, NGO requests, admin reports, and the reads of
other packages' collections that pages need (read only).

A session document holds only the SHA-256 of the session id that sits in the browser's
cookie, so a copy of the database cannot be used to sign in as anyone.
"""

from __future__ import annotations

from datetime import datetime

from bson import ObjectId
from pymongo import ASCENDING, IndexModel, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

SESSIONS = "web_sessions"
NGO_REQUESTS = "ngo_requests"  # creators ask for NGO status; administrators decide
ADMIN_REPORTS = "admin_reports"  # the last reconciliation, for the admin page

INDEXES: list[tuple[str, IndexModel]] = [
    # The database deletes a session once expires_at has passed (lookups check it too,
    # since the TTL monitor runs only about once a minute).
    (SESSIONS, IndexModel([("expires_at", ASCENDING)], expireAfterSeconds=0, name="ttl")),
    (SESSIONS, IndexModel([("account_id", ASCENDING)], name="by_account")),
    (
        NGO_REQUESTS,
        IndexModel([("account_id", ASCENDING), ("created_at", ASCENDING)], name="by_account"),
    ),
    (NGO_REQUESTS, IndexModel([("state", ASCENDING), ("created_at", ASCENDING)], name="by_state")),
]


async def insert_session(db: AsyncDatabase, doc: dict) -> None:
    await db[SESSIONS].insert_one(doc)


async def find_session(db: AsyncDatabase, id_hash: str, now: datetime) -> dict | None:
    return await db[SESSIONS].find_one({"_id": id_hash, "expires_at": {"$gt": now}})


async def extend_session(db: AsyncDatabase, id_hash: str, expires_at: datetime) -> None:
    await db[SESSIONS].update_one({"_id": id_hash}, {"$set": {"expires_at": expires_at}})


async def delete_session(db: AsyncDatabase, id_hash: str) -> None:
    await db[SESSIONS].delete_one({"_id": id_hash})


async def delete_account_sessions(
    db: AsyncDatabase, account_id: ObjectId, *, keep: str | None = None
) -> int:
    query: dict = {"account_id": account_id}
    if keep is not None:
        query["_id"] = {"$ne": keep}
    return (await db[SESSIONS].delete_many(query)).deleted_count


async def push_flash(db: AsyncDatabase, id_hash: str, flash: dict) -> None:
    await db[SESSIONS].update_one({"_id": id_hash}, {"$push": {"flashes": flash}})


async def pop_flashes(db: AsyncDatabase, id_hash: str) -> list[dict]:
    """The session's pending messages, removed in the same step (each is shown once)."""
    before = await db[SESSIONS].find_one_and_update(
        {"_id": id_hash, "flashes.0": {"$exists": True}},
        {"$set": {"flashes": []}},
        projection={"flashes": 1},
        return_document=ReturnDocument.BEFORE,
    )
    return list(before["flashes"]) if before else []


async def account_by_id(db: AsyncDatabase, account_id: ObjectId) -> dict | None:
    return await db.accounts.find_one({"_id": account_id})


async def account_by_handle(db: AsyncDatabase, handle: str) -> dict | None:
    return await db.accounts.find_one(
        {"handle": handle}, {"handle": 1, "display_name": 1, "created_at": 1}
    )


async def keys_owned_by(db: AsyncDatabase, account_id: ObjectId) -> list[dict]:
    """The keys an account currently owns (collection `key_owners`, kept by claims)."""
    cursor = db.key_owners.find(
        {"account_id": account_id, "declined": {"$ne": True}}, {"_id": 1, "since": 1}
    ).sort("_id", ASCENDING)
    return [doc async for doc in cursor]


# --- NGO requests (creators ask, administrators decide) ----------------------------------


async def insert_ngo_request(db: AsyncDatabase, doc: dict) -> bool:
    """Store a request unless the account has one pending already (False then)."""
    result = await db[NGO_REQUESTS].update_one(
        {"account_id": doc["account_id"], "state": "pending"},
        {"$setOnInsert": doc},
        upsert=True,
    )
    return result.upserted_id is not None


async def ngo_requests_of(db: AsyncDatabase, account_id: ObjectId) -> list[dict]:
    cursor = db[NGO_REQUESTS].find({"account_id": account_id}).sort("created_at", -1).limit(20)
    return [doc async for doc in cursor]


async def ngo_requests(db: AsyncDatabase, state: str, limit: int = 100) -> list[dict]:
    cursor = db[NGO_REQUESTS].find({"state": state}).sort("created_at", ASCENDING).limit(limit)
    return [doc async for doc in cursor]


async def decide_ngo_request(
    db: AsyncDatabase, request_id: ObjectId, state: str, by: ObjectId, at: datetime
) -> dict | None:
    """Approve or refuse a pending request, once; the request before the decision."""
    return await db[NGO_REQUESTS].find_one_and_update(
        {"_id": request_id, "state": "pending"},
        {"$set": {"state": state, "decided_by": by, "decided_at": at}},
    )


# --- administrators' last reports --------------------------------------------------------


async def save_report(db: AsyncDatabase, name: str, doc: dict) -> None:
    await db[ADMIN_REPORTS].replace_one({"_id": name}, {"_id": name, **doc}, upsert=True)


async def report(db: AsyncDatabase, name: str) -> dict | None:
    return await db[ADMIN_REPORTS].find_one({"_id": name})


# --- reads of the ledger's books, for the pages that show them ----------------------------


async def movements_of(db: AsyncDatabase, account: str, since_month: str) -> list[dict]:
    """Journal movements touching a ledger account (`funder:<id>`...) from a month on."""
    cursor = db.journal.find(
        {"postings.account": account, "month": {"$gte": since_month}},
        {"kind": 1, "month": 1, "at": 1, "postings": 1, "key": 1, "url": 1},
    )
    return [doc async for doc in cursor]


async def lot_exits(db: AsyncDatabase, lots: dict[str, list[str]]) -> dict[str, str]:
    """For escrow lots (by escrow account), the kind of movement that took each out."""
    if not lots:
        return {}
    wanted = {lot for ids in lots.values() for lot in ids}
    cursor = db.journal.find(
        {"guard.account": {"$in": list(lots)}, "consumes": {"$in": list(wanted)}},
        {"kind": 1, "consumes": 1},
    )
    return {lot: doc["kind"] async for doc in cursor for lot in doc["consumes"] if lot in wanted}


async def settlements(db: AsyncDatabase, limit: int = 24) -> list[dict]:
    cursor = db.settlements.find({}, {"summary": 0}).sort("_id", -1).limit(limit)
    return [doc async for doc in cursor]


async def accounts_by_ids(db: AsyncDatabase, ids: list[ObjectId]) -> dict[ObjectId, dict]:
    cursor = db.accounts.find(
        {"_id": {"$in": ids}}, {"email": 1, "handle": 1, "display_name": 1, "ngo": 1}
    )
    return {doc["_id"]: doc async for doc in cursor}
