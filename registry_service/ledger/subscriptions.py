"""Subscriptions: a flattr repeated in each month of 3, 6 or 12, counted like a click.

A subscription made in month M covers M and the months after it, `months` in all. Its
flattr of a month is added when the funder looks at the month and, at the latest, when
the month is settled (before its flattrs are read). A funder who undoes
that flattr in one month keeps the subscription for the others; cancelling stops the
months after the current one.
"""

from __future__ import annotations

from bson import ObjectId
from bson.errors import InvalidId
from pymongo.errors import BulkWriteError

from registry_service.api.errors import Conflict, NotFound
from registry_service.context import Context
from registry_service.ledger import flattrs, store
from registry_service.ledger.months import add_months
from registry_service.ledger.testhooks import note_write
from registry_service.ledger.things import count_flattr

PERIODS = (3, 6, 12)


def covers(sub: dict, month: str) -> bool:
    if not sub["start_month"] <= month <= sub["end_month"]:
        return False
    cancelled = sub.get("cancelled_month")
    return cancelled is None or month <= cancelled


def entry_for(sub: dict, month: str) -> dict:
    return {
        "funder": sub["funder"],
        "thing_id": sub["thing_id"],
        "url": sub["url"],
        "normalized": sub["normalized"],
        "weight": sub["weight"],
        "created_at": sub["created_at"],
        "subscription": str(sub["_id"]),
    }


def public(sub: dict, current_month: str) -> dict:
    return {
        "id": str(sub["_id"]),
        "url": sub["url"],
        "normalized": sub["normalized"],
        "thing_id": sub["thing_id"],
        "weight": sub["weight"],
        "months": sub["months"],
        "start_month": sub["start_month"],
        "end_month": sub["end_month"],
        "cancelled_month": sub.get("cancelled_month"),
        "active": covers(sub, current_month),
        "created_at": sub["created_at"].isoformat(),
    }


async def create(
    context: Context,
    funder_id: str,
    *,
    thing_id: str,
    url: str,
    normalized: str,
    months: int,
    weight: int,
) -> tuple[dict, dict]:
    """Subscribe; returns (subscription, this month's flattr)."""
    month = context.clock.month()
    subs = context.db[store.SUBSCRIPTIONS]
    active = await subs.find_one(
        {
            "funder": funder_id,
            "thing_id": thing_id,
            "end_month": {"$gte": month},
            "$or": [{"cancelled_month": None}, {"cancelled_month": {"$gt": month}}],
        }
    )
    if active is not None:
        raise Conflict(
            "already_subscribed",
            f"You already subscribe to this page until {active['end_month']}.",
        )
    sub = {
        "_id": ObjectId(),
        "funder": funder_id,
        "thing_id": thing_id,
        "url": url,
        "normalized": normalized,
        "weight": weight,
        "months": months,
        "start_month": month,
        "end_month": add_months(month, months - 1),
        "cancelled_month": None,
        "created_at": context.clock.now(),
    }
    await subs.insert_one(sub)
    flattr, created, _ = await flattrs.add_flattr(context, funder_id, entry_for(sub, month))
    if created:
        count_flattr(context, thing_id, 1)
    return sub, flattr


async def list_for(context: Context, funder_id: str) -> list[dict]:
    cursor = context.db[store.SUBSCRIPTIONS].find({"funder": funder_id}).sort("created_at", -1)
    return [sub async for sub in cursor]


async def cancel(context: Context, funder_id: str, subscription_id: str) -> dict:
    """Stop the subscription after the current month (its flattr this month stays)."""
    try:
        oid = ObjectId(subscription_id)
    except (InvalidId, TypeError):
        raise NotFound(
            "subscription_not_found", "There is no such subscription of yours."
        ) from None
    month = context.clock.month()
    subs = context.db[store.SUBSCRIPTIONS]
    sub = await subs.find_one({"_id": oid, "funder": funder_id})
    if sub is None:
        raise NotFound("subscription_not_found", "There is no such subscription of yours.")
    if sub.get("cancelled_month") is None or sub["cancelled_month"] > month:
        await subs.update_one({"_id": oid}, {"$set": {"cancelled_month": month}})
        sub["cancelled_month"] = month
    return sub


async def materialize_for_funder(context: Context, funder_id: str, month: str) -> None:
    """Add the funder's subscription flattrs of `month` (idempotent)."""
    cursor = context.db[store.SUBSCRIPTIONS].find(
        {"funder": funder_id, "start_month": {"$lte": month}, "end_month": {"$gte": month}}
    )
    async for sub in cursor:
        if covers(sub, month):
            try:
                await flattrs.add_entry(context, flattrs.dated(entry_for(sub, month), month))
            except flattrs.MonthClosed:
                return


async def materialize_month(context: Context, month: str, batch: int = 1000) -> int:
    """Add every subscription flattr of `month` (by its settlement, before it reads the
    month). Idempotent: a flattr there already, or taken back (a tombstone), stays as is."""
    cursor = context.db[store.SUBSCRIPTIONS].find(
        {"start_month": {"$lte": month}, "end_month": {"$gte": month}}
    )
    docs: list[dict] = []
    added = 0
    async for sub in cursor:
        if covers(sub, month):
            entry = flattrs.dated(entry_for(sub, month), month)
            docs.append({k: v for k, v in entry.items() if k != "id"})
        if len(docs) >= batch:
            added += await _insert(context, docs)
            docs = []
    if docs:
        added += await _insert(context, docs)
    return added


async def _insert(context: Context, docs: list[dict]) -> int:
    try:
        result = await store.flattrs(context.db).insert_many(docs, ordered=False)
        done = len(result.inserted_ids)
    except BulkWriteError as exc:
        # Already there (a click, a tombstone, an earlier run): only those are skipped.
        if any(err.get("code") != 11000 for err in exc.details.get("writeErrors", [])):
            raise
        done = exc.details.get("nInserted", 0)
    note_write(done > 0)
    return done
