"""Flattrs: one per funder per thing per month, one document each.

A flattr's `_id` is `<yyyymm><funder><thing>`, so a click is one insert: a thousand
identical clicks at once make one flattr (the others hit the unique `_id`), and a
funder's month, like a whole month, is an `_id` range. Close to a month's end, changes
go through the funder's fence instead (`fences.py`), so none can race the settlement.
A subscription flattr taken back stays as a tombstone (`removed`), so the subscription
does not bring it back that month.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from pymongo.errors import DuplicateKeyError

from registry_service.api.errors import ApiError, Conflict, NotFound, Unprocessable
from registry_service.context import Context
from registry_service.ledger import fences, resolution, store
from registry_service.ledger.cache import TtlCache
from registry_service.ledger.fences import Outcome
from registry_service.ledger.things import count_flattr

MAX_FLATTRS_PER_MONTH = 2000
TALLY_SERVICE = "ledger.month_tallies"
TALLY_TTL_S = 30.0


class MonthClosed(Exception):
    """The month's settlement has begun: its flattrs can no longer change."""


def parse_flattr_id(text: str) -> tuple[str, str] | None:
    """(month, funder id) of a flattr id, or None when it is not one."""
    if len(text) != 54 or not text[:6].isdigit() or not _is_hex(text[6:]):
        return None
    month = f"{text[:4]}-{text[4:6]}"
    return (month, text[6:30]) if "01" <= month[5:] <= "12" else None


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdef" for c in text)


def new_entry(
    context: Context, funder_id: str, thing_id: str, url: str, normalized: str, weight: int
) -> dict:
    """A click's flattr, for the current month (`add_flattr` dates it when it lands)."""
    return {
        "funder": funder_id,
        "thing_id": thing_id,
        "url": url,
        "normalized": normalized,
        "weight": weight,
        "created_at": context.clock.now(),
    }


def dated(entry: dict, month: str) -> dict:
    """`entry` as a flattr of `month`: its id and month set."""
    flattr_id = store.flattr_id(month, entry["funder"], entry["thing_id"])
    return {**entry, "_id": flattr_id, "id": flattr_id, "month": month}


def _tallies(context: Context) -> TtlCache:
    cache = context.services.get(TALLY_SERVICE)
    if cache is None:
        cache = context.services[TALLY_SERVICE] = TtlCache(TALLY_TTL_S, 100_000)
    return cache


def _tally_of(entries: list[dict]) -> tuple[int, int]:
    """(flattrs, weights) of a month's flattrs."""
    return len(entries), sum(int(f["weight"]) for f in entries)


def forget_tally(context: Context, month: str, funder_id: str) -> None:
    _tallies(context).drop((month, funder_id))


async def month_entries(
    context: Context, funder_id: str, month: str, *, fenced: bool = True
) -> list[dict]:
    """The funder's flattrs of `month` (each with its `id`), oldest first.

    `fenced=False` skips reading the fence: for a month not yet in its closing window.
    """
    if fenced:
        return (await _month_and_fence(context, funder_id, month))[0]
    docs = store.flattrs(context.db).find({"_id": store.flattrs_range(month, funder_id)})
    return fences.merge(await docs.to_list(None), None)


async def _month_and_fence(
    context: Context, funder_id: str, month: str
) -> tuple[list[dict], dict | None]:
    """The funder's flattrs of `month`, and its fence (read once)."""
    docs = store.flattrs(context.db).find({"_id": store.flattrs_range(month, funder_id)})
    fence = await fences.read(context, month, funder_id)
    return fences.merge(await docs.to_list(None), fence), fence


# The _id index, named: the embedded server otherwise sorts a range of _ids in memory, or
# scans the whole collection for it (a month of 200,000 flattrs: 3.5 s instead of 1.8 s).
BY_ID = [("_id", 1)]


async def by_funder(
    context: Context, month: str, fenced: dict[str, dict]
) -> AsyncIterator[tuple[str, list[dict]]]:
    """(funder, flattrs) of `month` for every funder with flattrs or a fence, in id order.

    `fenced`: the month's fences by funder (read after they were closed).
    """
    only_fenced = iter(sorted(fenced))
    pending = next(only_fenced, None)
    # Whole documents: projecting them costs the embedded server more than sending them.
    cursor = (
        store.flattrs(context.db).find({"_id": store.flattrs_range(month)}).sort(BY_ID).hint(BY_ID)
    )
    funder, docs = None, []
    async for doc in cursor:
        if doc["funder"] != funder:
            if funder is not None:
                yield funder, fences.merge(docs, fenced.get(funder))
            while pending is not None and pending < doc["funder"]:
                yield pending, fences.merge([], fenced[pending])
                pending = next(only_fenced, None)
            if pending == doc["funder"]:
                pending = next(only_fenced, None)
            funder, docs = doc["funder"], []
        docs.append(doc)
    if funder is not None:
        yield funder, fences.merge(docs, fenced.get(funder))
    while pending is not None:
        yield pending, fences.merge([], fenced[pending])
        pending = next(only_fenced, None)


async def month_tally(context: Context, funder_id: str, month: str) -> tuple[int, int]:
    """(flattrs, weights) of the funder's month, counted in this process after one read.

    Other processes' clicks show up when it is read again (within TALLY_TTL_S).
    """
    cache = _tallies(context)
    tally = cache.get((month, funder_id))
    if tally is None:
        fenced = fences.in_window(context, month)  # before it, the month has no fence
        tally = _tally_of(await month_entries(context, funder_id, month, fenced=fenced))
        cache.put((month, funder_id), tally)
    return tally


async def _count_in(context: Context, month: str, funder_id: str, weight: int) -> tuple[int, int]:
    """The tally after adding a flattr of `weight` (no await between reading and writing it,
    so concurrent clicks in this process all count)."""
    cache = _tallies(context)
    tally = cache.get((month, funder_id))
    if tally is None:
        return await month_tally(context, funder_id, month)  # read again: includes this one
    tally = (tally[0] + 1, tally[1] + weight)
    cache.put((month, funder_id), tally)
    return tally


def _full_error() -> ApiError:
    return Unprocessable(
        "too_many_flattrs",
        f"A month holds at most {MAX_FLATTRS_PER_MONTH} flattrs; this one is full.",
    )


async def insert_entry(context: Context, entry: dict) -> tuple[dict, bool]:
    """Add a dated flattr outside its month's closing window. Returns (flattr, created)."""
    collection = store.flattrs(context.db)
    doc = {k: v for k, v in entry.items() if k != "id"}
    for _ in range(5):
        try:
            await collection.insert_one(doc)
            return entry, True
        except DuplicateKeyError:
            existing = await collection.find_one({"_id": entry["_id"]})
        if existing is None:
            continue  # taken back at this very moment: try again
        if not existing.get("removed"):
            return {**existing, "id": existing["_id"]}, False
        if "subscription" in entry and existing.get("subscription") == entry["subscription"]:
            return {**entry, "_skipped": True}, False  # taken back: not brought back
        # A subscription flattr taken back, clicked again: it comes back as this click.
        revived = await collection.replace_one({"_id": entry["_id"], "removed": True}, doc)
        if revived.modified_count:
            return entry, True
    raise Conflict("busy", "This flattr changed under us several times; try again.")


async def fence_entry(context: Context, entry: dict) -> tuple[dict, bool]:
    """Add a dated flattr in its month's closing window. Raises `MonthClosed`."""
    month, funder_id = entry["month"], entry["funder"]
    if await fences.settlement_begun(context, month):
        raise MonthClosed(month)
    for _ in range(5):
        entries, fence = await _month_and_fence(context, funder_id, month)
        same = next((f for f in entries if f["id"] == entry["_id"]), None)
        if same is not None:
            return same, False
        if "subscription" in entry and entry["_id"] in (fence or {}).get("removed", []):
            return {**entry, "_skipped": True}, False
        if len(entries) >= MAX_FLATTRS_PER_MONTH:
            raise _full_error()
        added = f"added.{entry['thing_id']}"
        doc = {k: v for k, v in entry.items() if k != "id"}
        outcome = await fences.change(
            context, month, funder_id, {"$set": {added: doc}}, {added: {"$exists": False}}
        )
        if outcome is Outcome.CLOSED:
            raise MonthClosed(month)
        if outcome is Outcome.DONE:
            return entry, True
    raise Conflict("busy", "This month changed under us several times; try again.")


async def add_entry(context: Context, entry: dict) -> tuple[dict, bool]:
    """Add a dated flattr unless its thing is flattred already that month.

    Returns (the month's flattr of that thing, created), with the month's `_tally`.
    Raises `MonthClosed`.
    """
    month, funder_id = entry["month"], entry["funder"]
    if fences.in_window(context, month):
        flattr, created = await fence_entry(context, entry)
        forget_tally(context, month, funder_id)
        return {**flattr, "_tally": await month_tally(context, funder_id, month)}, created
    tally = await month_tally(context, funder_id, month)
    if tally[0] >= MAX_FLATTRS_PER_MONTH and "subscription" not in entry:
        raise _full_error()
    flattr, created = await insert_entry(context, entry)
    if created:
        tally = await _count_in(context, month, funder_id, int(entry["weight"]))
    return {**flattr, "_tally": tally}, created


async def add_flattr(context: Context, funder_id: str, entry: dict) -> tuple[dict, bool, str]:
    """Record a click in the current month. Returns (flattr, created, month)."""
    for _ in range(3):
        month = context.clock.month()
        try:
            flattr, created = await add_entry(context, dated({**entry, "funder": funder_id}, month))
        except MonthClosed:
            if context.clock.month() == month:
                raise Conflict(
                    "month_closed", f"{month} is being settled; try again in a minute."
                ) from None
            continue  # the month ended meanwhile: the click belongs to the new one
        return flattr, created, month
    raise Conflict("month_closed", "The month is closing; try again in a minute.")


async def find_own(context: Context, funder_id: str, flattr_id: str) -> dict:
    """One of the funder's flattrs (with its `month`), or 404."""
    parsed = parse_flattr_id(flattr_id)
    if parsed is None or parsed[1] != funder_id:
        raise NotFound("flattr_not_found", "There is no such flattr of yours.")
    entries = await month_entries(context, funder_id, parsed[0])
    flattr = next((f for f in entries if f["id"] == flattr_id), None)
    if flattr is None:
        raise NotFound("flattr_not_found", "There is no such flattr of yours.")
    return {**flattr, "month": parsed[0]}


def _settled_error(month: str) -> ApiError:
    return Conflict(
        "month_settled", f"{month} is settled (or being settled): its flattrs cannot change."
    )


async def _fence_change(context: Context, flattr: dict, added: dict, kept: dict) -> None:
    """Change a flattr in its month's closing window: `added` when the flattr was made in
    the window (it lives in the fence), else `kept`."""
    month = flattr["month"]
    if await fences.settlement_begun(context, month):
        raise _settled_error(month)
    fence = await fences.read(context, month, flattr["funder"]) or {}
    in_fence = fence.get("added", {}).get(flattr["thing_id"], {}).get("_id") == flattr["id"]
    if in_fence:
        condition = {f"added.{flattr['thing_id']}._id": flattr["id"]}
        outcome = await fences.change(context, month, flattr["funder"], added, condition)
    else:
        outcome = await fences.change(context, month, flattr["funder"], kept)
    if outcome is Outcome.CLOSED:
        raise _settled_error(month)
    if outcome is Outcome.REFUSED:
        raise NotFound("flattr_not_found", "There is no such flattr of yours.")


async def change_weight(context: Context, funder_id: str, flattr_id: str, weight: int) -> dict:
    flattr = await find_own(context, funder_id, flattr_id)
    month = flattr["month"]
    if fences.in_window(context, month):
        added = {"$set": {f"added.{flattr['thing_id']}.weight": weight}}
        await _fence_change(context, flattr, added, {"$set": {f"weights.{flattr_id}": weight}})
    else:
        result = await store.flattrs(context.db).update_one(
            {"_id": flattr_id, "removed": {"$ne": True}}, {"$set": {"weight": weight}}
        )
        if result.matched_count == 0:
            raise NotFound("flattr_not_found", "There is no such flattr of yours.")
    forget_tally(context, month, funder_id)
    return {**flattr, "weight": weight}


async def undo(context: Context, funder_id: str, flattr_id: str) -> None:
    flattr = await find_own(context, funder_id, flattr_id)
    month = flattr["month"]
    if fences.in_window(context, month):
        # Listed as removed either way: a subscription must not bring it back.
        gone = {"$unset": {f"added.{flattr['thing_id']}": ""}, "$addToSet": {"removed": flattr_id}}
        await _fence_change(context, flattr, gone, {"$addToSet": {"removed": flattr_id}})
    elif flattr.get("subscription"):
        await store.flattrs(context.db).update_one({"_id": flattr_id}, {"$set": {"removed": True}})
    else:
        await store.flattrs(context.db).delete_one({"_id": flattr_id})
    forget_tally(context, month, funder_id)
    count_flattr(context, flattr["thing_id"], -1)


async def current_for(context: Context, entry: dict) -> resolution.Current:
    return await resolution.current(context, entry["url"], entry["normalized"], for_flattr=False)
