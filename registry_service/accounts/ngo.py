"""The NGO / non-profit flag an administrator sets on an account (commission 0 %)."""

from __future__ import annotations

from collections.abc import Iterable

from bson import ObjectId
from bson.errors import InvalidId
from pymongo.asynchronous.database import AsyncDatabase

from registry_service.api.errors import NotFound


def _oid(account_id: ObjectId | str) -> ObjectId:
    try:
        return account_id if isinstance(account_id, ObjectId) else ObjectId(account_id)
    except (InvalidId, TypeError):
        raise NotFound("account_not_found", f"There is no account {account_id}.") from None


async def set_ngo(db: AsyncDatabase, account_id: ObjectId | str, ngo: bool) -> dict:
    """Flag (or unflag) an account as an NGO / non-profit; returns {id, email, ngo}."""
    oid = _oid(account_id)
    result = await db.accounts.find_one_and_update(
        {"_id": oid}, {"$set": {"ngo": bool(ngo)}}, projection={"email": 1, "ngo": 1}
    )
    if result is None:
        raise NotFound("account_not_found", f"There is no account {account_id}.")
    return {"id": str(oid), "email": result.get("email"), "ngo": bool(ngo)}


async def ngo_accounts(db: AsyncDatabase, account_ids: Iterable[ObjectId | str]) -> set[str]:
    """The ids (as strings) of the accounts among these flagged as NGOs."""
    oids = []
    for account_id in dict.fromkeys(account_ids):
        try:
            oids.append(_oid(account_id))
        except NotFound:
            continue
    if not oids:
        return set()
    cursor = db.accounts.find({"_id": {"$in": oids}, "ngo": True}, {"_id": 1})
    return {str(doc["_id"]) async for doc in cursor}
