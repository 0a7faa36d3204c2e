"""Who owns a key now: the one verified (or declining) owner, kept by the claims package.

A key whose owner declined donations stays declined when that claim ends (it lapses or is
withdrawn): "no donations in my name" outlives the proof. Such a key has no owner, only a
standing decline (`declined_keys`), until someone proves control of it again and decides
anew. `owners_of` gives it as a `KeyOwner` without an account (`claimed` is false).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bson import ObjectId
from pymongo.asynchronous.database import AsyncDatabase

COLLECTION = "key_owners"
STANDING_DECLINES = "declined_keys"
ACCOUNT_NAMESPACE = "omniflattr"


@dataclass(frozen=True)
class KeyOwner:
    key: str
    account_id: ObjectId | None  # None: nobody owns the key, it stands declined
    claim_id: ObjectId | None
    since: datetime | None
    declined: bool = False

    @property
    def claimed(self) -> bool:
        return self.account_id is not None


async def owners_of(db: AsyncDatabase, keys: Iterable[str]) -> dict[str, KeyOwner]:
    """The current owner of each key that has one (unclaimed keys are absent)."""
    keys = list(dict.fromkeys(keys))
    owners: dict[str, KeyOwner] = {}
    claimed = [k for k in keys if not k.startswith(ACCOUNT_NAMESPACE + ":")]
    if claimed:
        # Both at once: one round trip. A key verified again has no standing decline left,
        # and an owner found wins anyway.
        owned, standing = await asyncio.gather(
            db[COLLECTION].find({"_id": {"$in": claimed}}).to_list(),
            db[STANDING_DECLINES].find({"_id": {"$in": claimed}}).to_list(),
        )
        for doc in standing:
            owners[doc["_id"]] = KeyOwner(doc["_id"], None, None, doc.get("since"), True)
        for doc in owned:
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
