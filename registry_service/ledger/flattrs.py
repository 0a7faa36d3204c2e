"""Flattrs: one per funder per thing per month, kept in the funder's month document.

All of a funder's flattrs of a month live in one document (`funder_months`), so adding
one is a single conditional update: "no flattr of this thing yet and the month not
frozen". A thousand identical clicks at once therefore make one flattr, and the
settlement freezes a month by flagging its documents before reading them.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from bson import ObjectId
from pymongo.errors import DuplicateKeyError

from registry_service.api.errors import ApiError, Conflict, NotFound, Unprocessable
from registry_service.context import Context
from registry_service.ledger import resolution, store
from registry_service.ledger.cache import TtlCache
from registry_service.ledger.months import month_end
from registry_service.ledger.things import count_flattr

MAX_FLATTRS_PER_MONTH = 2000
TALLY_SERVICE = "ledger.month_tallies"
TALLY_TTL_S = 30.0
KNOWN_SERVICE = "ledger.known_months"
KNOWN_TTL_S = 24 * 3600.0
BOUNDARY_WINDOW = timedelta(minutes=15)


class MonthClosed(Exception):
    """The month's document is frozen: its settlement has started."""


def flattr_id(month: str, funder_id: str, unique: str) -> str:
    """`<yyyymm><funder id><24 hex>`: names the month document, so no index is needed."""
    return f"{month.replace('-', '')}{funder_id}{unique}"


def parse_flattr_id(text: str) -> tuple[str, str] | None:
    """(month, funder id) of a flattr id, or None when it is not one."""
    if len(text) != 54 or not text[:6].isdigit() or not _is_hex(text[6:]):
        return None
    month = f"{text[:4]}-{text[4:6]}"
    return (month, text[6:30]) if "01" <= month[5:] <= "12" else None


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdef" for c in text)


def subscription_flattr_id(subscription_id: str, funder_id: str, month: str) -> str:
    unique = hashlib.sha256(f"{subscription_id}:{month}".encode()).hexdigest()[:24]
    return flattr_id(month, funder_id, unique)


def new_entry(
    context: Context, funder_id: str, thing_id: str, url: str, normalized: str, weight: int
) -> dict:
    return {
        "id": flattr_id(context.clock.month(), funder_id, str(ObjectId())),
        "thing_id": thing_id,
        "url": url,
        "normalized": normalized,
        "weight": weight,
        "created_at": context.clock.now(),
    }


def _tallies(context: Context) -> TtlCache:
    cache = context.services.get(TALLY_SERVICE)
    if cache is None:
        cache = context.services[TALLY_SERVICE] = TtlCache(TALLY_TTL_S, 100_000)
    return cache


def _tally_of(doc: dict) -> tuple[int, int]:
    """(flattrs, weights) of a month document."""
    entries = doc.get("flattrs", [])
    return len(entries), sum(int(f["weight"]) for f in entries)


def _known_months(context: Context) -> TtlCache:
    """Month documents this process knows exist (they are never deleted)."""
    cache = context.services.get(KNOWN_SERVICE)
    if cache is None:
        cache = context.services[KNOWN_SERVICE] = TtlCache(KNOWN_TTL_S, 200_000)
    return cache


def _remember_tally(context: Context, doc: dict) -> None:
    _tallies(context).put(doc["_id"], _tally_of(doc))


def forget_tally(context: Context, doc_id: str) -> None:
    _tallies(context).drop(doc_id)


async def _tally_after_push(context: Context, doc_id: str, entry: dict) -> tuple[int, int]:
    """The month's (flattrs, weights) after adding `entry`, shown to the funder.

    Counted in this process after one read, so a click costs one database trip; other
    processes' clicks show up when the count is read again (within TALLY_TTL_S).
    """
    cache = _tallies(context)
    tally = cache.get(doc_id)
    if tally is None:
        doc = await store.funder_months(context.db).find_one({"_id": doc_id}, {"flattrs.weight": 1})
        tally = _tally_of(doc or {"flattrs": [entry]})
    else:
        tally = (tally[0] + 1, tally[1] + int(entry["weight"]))
    cache.put(doc_id, tally)
    return tally


async def push_entry(
    context: Context, funder_id: str, month: str, entry: dict
) -> tuple[dict, bool]:
    """Add `entry` to the funder's month unless that thing is there already.

    Returns (the month's flattr for that thing, created). Raises `MonthClosed`.
    """
    months = store.funder_months(context.db)
    doc_id = store.funder_month_id(month, funder_id)
    query = {
        "_id": doc_id,
        "frozen": False,
        "flattrs.thing_id": {"$ne": entry["thing_id"]},
        f"flattrs.{MAX_FLATTRS_PER_MONTH - 1}": {"$exists": False},
    }
    if "subscription" in entry:
        query["removed_subscriptions"] = {"$ne": entry["subscription"]}
    known = _known_months(context)
    exists = bool(known.get(doc_id))
    for _ in range(5):
        # A month document this process has seen gets the conditional update (the usual
        # click: one trip); an unknown one is inserted first, which makes a funder's first
        # click of a month one trip too. (An upsert through findAndModify is very slow on
        # the embedded server, and racing upserts fail there anyway.)
        existing = None
        if exists:
            pushed = await months.update_one(query, {"$push": {"flattrs": entry}})
            if pushed.modified_count == 1:
                known.put(doc_id, True)
                tally = await _tally_after_push(context, doc_id, entry)
                return {**entry, "_tally": tally}, True
            existing = await months.find_one({"_id": doc_id})
        if existing is None:
            fresh = {
                "_id": doc_id,
                "funder": funder_id,
                "month": month,
                "frozen": False,
                "flattrs": [entry],
            }
            try:
                await months.insert_one(fresh)
            except DuplicateKeyError:
                exists = True  # made by another click or process: update it instead
                continue
            known.put(doc_id, True)
            _remember_tally(context, fresh)
            return {**entry, "_tally": _tally_of(fresh)}, True
        known.put(doc_id, True)
        _remember_tally(context, existing)
        mine = next((f for f in existing.get("flattrs", []) if f["id"] == entry["id"]), None)
        if mine is not None:
            return {**mine, "_tally": _tally_of(existing)}, True
        # Not added: the thing is there already, or the month is closed or full.
        if existing.get("frozen"):
            raise MonthClosed(month)
        for flattr in existing.get("flattrs", []):
            if flattr["thing_id"] == entry["thing_id"]:
                return {**flattr, "_tally": _tally_of(existing)}, False
        if entry.get("subscription") in existing.get("removed_subscriptions", []):
            return {**entry, "_tally": _tally_of(existing), "_skipped": True}, False
        if len(existing.get("flattrs", [])) >= MAX_FLATTRS_PER_MONTH:
            raise Unprocessable(
                "too_many_flattrs",
                f"A month holds at most {MAX_FLATTRS_PER_MONTH} flattrs; this one is full.",
            )
    raise Conflict("busy", "This month changed under us several times; try again.")


async def _settlement_started(context: Context, month: str) -> bool:
    return await context.db[store.SETTLEMENTS].find_one({"_id": month}, {"_id": 1}) is not None


async def _undo_late(context: Context, funder_id: str, month: str, entry_id: str) -> bool:
    result = await store.funder_months(context.db).update_one(
        {"_id": store.funder_month_id(month, funder_id), "frozen": False},
        {"$pull": {"flattrs": {"id": entry_id}}},
    )
    return result.modified_count == 1


async def add_flattr(context: Context, funder_id: str, entry: dict) -> tuple[dict, bool, str]:
    """Record a click in the current month. Returns (flattr, created, month)."""
    for _ in range(3):
        month = context.clock.month()
        entry = {**entry, "id": flattr_id(month, funder_id, entry["id"][-24:])}
        try:
            flattr, created = await push_entry(context, funder_id, month, entry)
        except MonthClosed:
            if context.clock.month() == month:
                raise Conflict(
                    "month_closed", f"{month} is being settled; try again in a minute."
                ) from None
            continue
        near_end = context.clock.now() >= month_end(month) - BOUNDARY_WINDOW
        first = flattr["_tally"][0] == 1
        # A new month document made just as the month closes may have been missed by the
        # freeze: take it back (unless the settlement froze it, then it is paid).
        if (
            created
            and first
            and near_end
            and await _settlement_started(context, month)
            and await _undo_late(context, funder_id, month, flattr["id"])
        ):
            if context.clock.month() == month:
                raise Conflict("month_closed", f"{month} is being settled; try again soon.")
            continue
        return flattr, created, month
    raise Conflict("month_closed", "The month is closing; try again in a minute.")


async def find_own(context: Context, funder_id: str, flattr_id: str) -> tuple[dict, dict]:
    """(month document, flattr) for one of the funder's flattrs, or 404."""
    parsed = parse_flattr_id(flattr_id)
    if parsed is None or parsed[1] != funder_id:
        raise NotFound("flattr_not_found", "There is no such flattr of yours.")
    doc = await month_doc(context, funder_id, parsed[0])
    flattr = next((f for f in (doc or {}).get("flattrs", []) if f["id"] == flattr_id), None)
    if flattr is None:
        raise NotFound("flattr_not_found", "There is no such flattr of yours.")
    return doc, flattr


def _settled_error(month: str) -> ApiError:
    return Conflict(
        "month_settled", f"{month} is settled (or being settled): its flattrs cannot change."
    )


async def change_weight(context: Context, funder_id: str, flattr_id: str, weight: int) -> dict:
    doc, flattr = await find_own(context, funder_id, flattr_id)
    if doc.get("frozen"):
        raise _settled_error(doc["month"])
    result = await store.funder_months(context.db).update_one(
        {"_id": doc["_id"], "frozen": False, "flattrs.id": flattr["id"]},
        {"$set": {"flattrs.$.weight": weight}},
    )
    if result.matched_count == 0:
        doc, flattr = await find_own(context, funder_id, flattr_id)
        raise _settled_error(doc["month"])
    forget_tally(context, doc["_id"])
    return {**flattr, "weight": weight, "month": doc["month"]}


async def undo(context: Context, funder_id: str, flattr_id: str) -> None:
    doc, flattr = await find_own(context, funder_id, flattr_id)
    if doc.get("frozen"):
        raise _settled_error(doc["month"])
    update: dict = {"$pull": {"flattrs": {"id": flattr["id"]}}}
    if flattr.get("subscription"):
        # The subscription must not bring back a flattr its funder took back this month.
        update["$addToSet"] = {"removed_subscriptions": flattr["subscription"]}
    result = await store.funder_months(context.db).update_one(
        {"_id": doc["_id"], "frozen": False}, update
    )
    if result.matched_count == 0:
        raise _settled_error(doc["month"])
    forget_tally(context, doc["_id"])
    count_flattr(context, flattr["thing_id"], -1)


async def month_doc(context: Context, funder_id: str, month: str) -> dict | None:
    return await store.funder_months(context.db).find_one(
        {"_id": store.funder_month_id(month, funder_id)}
    )


async def current_for(context: Context, entry: dict) -> resolution.Current:
    return await resolution.current(context, entry["url"], entry["normalized"], for_flattr=False)
