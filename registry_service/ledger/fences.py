"""Month fences: how a funder's month changes in its last minutes without racing its settlement.

A flattr is one document in `flattrs`, written with one insert. A change made close to
the end of its month (or after it, until it is settled) could land after the settlement
has read the funder's flattrs, so from `WINDOW` before the month ends changes are not
written to `flattrs` but recorded in the funder's fence (`month_fences`), each one a
single update conditional on the fence being open:

    added:   {thing id: flattr}    flattrs made in the window
    removed: [flattr id]           flattrs taken back in the window
    weights: {flattr id: weight}   weights changed in the window

The settlement closes every fence of the month before it reads the month and reads each
fence after closing it, so it pays exactly the changes that were accepted. A fence made
while the settlement is under way may come too late for it: its writer then withdraws it
and answers that the month is closed — unless the settlement closed it first, in which
case the change is paid. The two are updates of the same document; one wins, never both.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import timedelta

from pymongo.errors import DuplicateKeyError

from registry_service.context import Context
from registry_service.ledger import store
from registry_service.ledger.months import month_end

WINDOW = timedelta(minutes=15)


class Outcome(enum.Enum):
    DONE = "done"
    CLOSED = "closed"  # the settlement closed the month: nothing was changed
    REFUSED = "refused"  # the fence is open but the change's condition did not hold


def in_window(context: Context, month: str) -> bool:
    """Whether changes to `month` must go through its fences now."""
    return context.clock.now() >= month_end(month) - WINDOW


async def settlement_begun(context: Context, month: str) -> bool:
    found = await context.db[store.SETTLEMENTS].find_one({"_id": month}, {"_id": 1})
    return found is not None


async def read(context: Context, month: str, funder_id: str) -> dict | None:
    """The funder's fence of `month` when it holds accepted changes."""
    fence = await store.month_fences(context.db).find_one({"_id": store.fence_id(month, funder_id)})
    return None if fence is None or fence.get("withdrawn") else fence


async def change(
    context: Context, month: str, funder_id: str, update: dict, condition: dict | None = None
) -> Outcome:
    """Apply `update` to the funder's open fence of `month` (made when missing)."""
    fences = store.month_fences(context.db)
    fence_id = store.fence_id(month, funder_id)
    query = {"_id": fence_id, "closed": {"$ne": True}, **(condition or {})}
    upsert = {**update, "$setOnInsert": {"month": month, "funder": funder_id}}
    try:
        result = await fences.update_one(query, upsert, upsert=True)
    except DuplicateKeyError:
        # The fence exists but did not match: closed, or the condition failed (or another
        # change made it at this very moment: then the plain update applies).
        result = await fences.update_one(query, update)
        if result.matched_count:
            return Outcome.DONE
        fence = await fences.find_one({"_id": fence_id}, {"closed": 1})
        return Outcome.CLOSED if fence and fence.get("closed") else Outcome.REFUSED
    if result.upserted_id is None:
        return Outcome.DONE
    # This change made the fence: a settlement under way may already have read the fences.
    if await settlement_begun(context, month):
        withdrawn = await fences.update_one(
            {"_id": fence_id, "closed": {"$ne": True}},
            {"$set": {"closed": True, "withdrawn": True}},
        )
        if withdrawn.modified_count:
            return Outcome.CLOSED
    return Outcome.DONE


async def close_month(context: Context, month: str) -> int:
    """Close every open fence of `month`; returns how many were still open."""
    result = await store.month_fences(context.db).update_many(
        {"_id": store.fences_range(month), "closed": {"$ne": True}}, {"$set": {"closed": True}}
    )
    return result.modified_count


async def closed_fences(context: Context, month: str) -> dict[str, dict]:
    """Every fence of `month` holding accepted changes, by funder (after `close_month`)."""
    cursor = store.month_fences(context.db).find(
        {"_id": store.fences_range(month), "withdrawn": {"$ne": True}}
    )
    return {fence["funder"]: fence async for fence in cursor}


def merge(docs: Iterable[dict], fence: dict | None) -> list[dict]:
    """A funder's flattrs of a month: its documents with the fence's changes on top.

    Each flattr comes out with its id as `id`, oldest first.
    """
    entries = {doc["_id"]: doc for doc in docs if not doc.get("removed")}
    if fence is not None and not fence.get("withdrawn"):
        for flattr_id in fence.get("removed", []):
            entries.pop(flattr_id, None)
        for flattr_id, weight in fence.get("weights", {}).items():
            if flattr_id in entries:
                entries[flattr_id] = {**entries[flattr_id], "weight": weight}
        for entry in fence.get("added", {}).values():
            entries[entry["_id"]] = entry
    merged = [{**entry, "id": entry["_id"]} for entry in entries.values()]
    merged.sort(key=lambda e: (e.get("created_at") is None, e.get("created_at"), e["id"]))
    return merged
