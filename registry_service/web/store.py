"""Data access of the web pages: sessions (`web_sessions`) and the public reads pages need.

A session document holds only the SHA-256 of the session id that sits in the browser's
cookie, so a copy of the database cannot be used to sign in as anyone.
"""

from __future__ import annotations

from datetime import datetime

from bson import ObjectId
from pymongo import ASCENDING, IndexModel, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

SESSIONS = "web_sessions"

INDEXES: list[tuple[str, IndexModel]] = [
    # The database deletes a session once expires_at has passed (lookups check it too,
    # since the TTL monitor runs only about once a minute).
    (SESSIONS, IndexModel([("expires_at", ASCENDING)], expireAfterSeconds=0, name="ttl")),
    (SESSIONS, IndexModel([("account_id", ASCENDING)], name="by_account")),
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
