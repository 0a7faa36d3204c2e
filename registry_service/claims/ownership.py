"""Who owns a key now: the one verified (or declining) owner, kept by the claims package."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bson import ObjectId
from pymongo.asynchronous.database import AsyncDatabase

COLLECTION = "key_owners"
ACCOUNT_NAMESPACE = "omniflattr"


@dataclass(frozen=True)
class KeyOwner:
    key: str
    account_id: ObjectId
    claim_id: ObjectId | None
    since: datetime | None
    declined: bool = False


async def owners_of(db: AsyncDatabase, keys: Iterable[str]) -> dict[str, KeyOwner]:
    """The current owner of each key that has one (unclaimed keys are absent)."""
    keys = list(dict.fromkeys(keys))
    owners: dict[str, KeyOwner] = {}
    claimed = [k for k in keys if not k.startswith(ACCOUNT_NAMESPACE + ":")]
    if claimed:
        async for doc in db[COLLECTION].find({"_id": {"$in": claimed}}):
            owners[doc["_id"]] = KeyOwner(
                doc["_id"],
                doc["account_id"],
                doc.get("claim_id"),
                doc.get("since"),
                bool(doc.get("declined")),
            )
    handles = {k.split(":", 1)[1]: k for k in keys if k.startswith(ACCOUNT_NAMESPACE + ":")}
    if handles:
        cursor = db.accounts.find(
            {"handle": {"$in": list(handles)}}, {"handle": 1, "created_at": 1}
        )
        async for account in cursor:
            key = handles[account["handle"]]
            owners[key] = KeyOwner(key, account["_id"], None, account.get("created_at"))
    return owners


async def owner_of(db: AsyncDatabase, key: str) -> KeyOwner | None:
    return (await owners_of(db, [key])).get(key)
