"""Moving flattrs from the former layout (one document per funder and month, holding
them all) to one document per flattr. Runs when a process starts; once the former
collection is empty it costs one query.

A month whose settlement had frozen it keeps its flattr ids (its settlement movements
name them); the others take the ids of the new layout, which name their thing, so that
a second click on the same thing finds the first.
"""

from __future__ import annotations

import logging

from bson import ObjectId
from bson.errors import InvalidId
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from registry_service.ledger import store

log = logging.getLogger("omniflattr.ledger.migrate")
FIELDS = ("thing_id", "url", "normalized", "weight", "created_at", "subscription")


def flattr_docs(month_doc: dict, subscribed_things: dict[str, str]) -> list[dict]:
    """The documents of the new layout for one former month document (pure)."""
    month, funder = month_doc["month"], month_doc["funder"]
    docs = []
    for flattr in month_doc.get("flattrs", []):
        flattr_id = (
            flattr["id"]
            if month_doc.get("frozen")
            else store.flattr_id(month, funder, flattr["thing_id"])
        )
        kept = {k: flattr[k] for k in FIELDS if k in flattr}
        docs.append({"_id": flattr_id, "funder": funder, "month": month, **kept})
    listed = {doc["thing_id"] for doc in docs}
    for subscription in month_doc.get("removed_subscriptions", []):
        thing_id = subscribed_things.get(subscription)
        if thing_id and thing_id not in listed:  # taken back: a tombstone keeps it away
            docs.append(
                {
                    "_id": store.flattr_id(month, funder, thing_id),
                    "funder": funder,
                    "month": month,
                    "thing_id": thing_id,
                    "weight": 1,
                    "subscription": subscription,
                    "removed": True,
                }
            )
    return docs


async def _subscribed_things(db: AsyncDatabase, ids: list[str]) -> dict[str, str]:
    oids = []
    for text in ids:
        try:
            oids.append(ObjectId(text))
        except (InvalidId, TypeError):
            continue
    cursor = db[store.SUBSCRIPTIONS].find({"_id": {"$in": oids}}, {"thing_id": 1})
    return {str(sub["_id"]): sub["thing_id"] async for sub in cursor}


async def move_funder_months(db: AsyncDatabase) -> int:
    """Move every former month document; returns how many were moved."""
    former = db[store.FUNDER_MONTHS]
    moved = 0
    async for month_doc in former.find({}):
        things = await _subscribed_things(db, month_doc.get("removed_subscriptions", []))
        docs = flattr_docs(month_doc, things)
        if docs:
            try:
                await store.flattrs(db).insert_many(docs, ordered=False)
            except BulkWriteError as exc:  # moved before, by a run that stopped half-way
                if any(e.get("code") != 11000 for e in exc.details.get("writeErrors", [])):
                    raise
        await former.delete_one({"_id": month_doc["_id"]})
        moved += 1
    if moved:
        log.info("moved the flattrs of %d funder months to one document each", moved)
    return moved
