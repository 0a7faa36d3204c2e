"""Things: the normalised URLs people flattr, with a stable id and a flattr count.

The count behind badges is kept in the thing's document. Clicks add to it through an
in-process tally written every few seconds in one bulk write, so a flattr costs no extra
database trip; a crash may lose a few seconds of counts (never money).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging

from pymongo import UpdateOne
from pymongo.errors import DuplicateKeyError, PyMongoError

from registry_service.context import Context
from registry_service.ledger import store
from registry_service.ledger.cache import TtlCache
from registry_service.resolve import normalize_url

log = logging.getLogger("omniflattr.ledger.things")
SERVICE = "ledger.things"
COUNT_TTL_S = 30.0
FLUSH_DELAY_S = 5.0


def thing_id_for(normalized: str) -> str:
    """A stable id derived from the normalised URL: known without a database round trip."""
    return hashlib.sha256(normalized.encode()).hexdigest()[:24]


def _state(context: Context) -> dict:
    state = context.services.get(SERVICE)
    if state is None:
        state = context.services[SERVICE] = {
            "known": TtlCache(24 * 3600.0, 200_000),
            "counts": TtlCache(COUNT_TTL_S, 50_000),
            "pending": {},
            "flusher": None,
        }
    return state


async def ensure_thing(context: Context, normalized: str) -> tuple[str, bool]:
    """The thing's id, creating the thing once. Returns (id, new to this process)."""
    thing_id = thing_id_for(normalized)
    known = _state(context)["known"]
    if known.get(thing_id):
        return thing_id, False
    with contextlib.suppress(DuplicateKeyError):  # created at the same moment elsewhere
        await context.db[store.THINGS].update_one(
            {"_id": thing_id},
            {"$setOnInsert": {"normalized": normalized, "created_at": context.clock.now()}},
            upsert=True,
        )
    known.put(thing_id, True)
    return thing_id, True


async def find_thing(context: Context, thing_id: str) -> dict | None:
    return await context.db[store.THINGS].find_one({"_id": thing_id})


async def thing_for_url(context: Context, url: str) -> tuple[str, str]:
    """(thing id, normalised URL) for a URL, whether or not anyone flattred it yet."""
    normalized = normalize_url(url)
    return thing_id_for(normalized), normalized


def count_flattr(context: Context, thing_id: str, delta: int) -> None:
    """Add to the thing's flattr count (written within a second)."""
    state = _state(context)
    state["pending"][thing_id] = state["pending"].get(thing_id, 0) + delta
    flusher = state["flusher"]
    if flusher is None or flusher.done():
        state["flusher"] = asyncio.get_running_loop().create_task(_flush_later(context))


async def _flush_later(context: Context) -> None:
    await asyncio.sleep(FLUSH_DELAY_S)
    await flush_counts(context)


async def flush_counts(context: Context) -> None:
    state = _state(context)
    pending, state["pending"] = state["pending"], {}
    ops = [
        UpdateOne({"_id": t}, {"$inc": {"flattrs": n}}, upsert=True)
        for t, n in pending.items()
        if n
    ]
    if not ops:
        return
    try:
        await context.db[store.THINGS].bulk_write(ops, ordered=False)
    except PyMongoError as exc:  # put them back for the next flush
        log.warning("could not write flattr counts yet: %s", exc)
        for thing_id, n in pending.items():
            state["pending"][thing_id] = state["pending"].get(thing_id, 0) + n


async def flattr_count(context: Context, thing_id: str) -> int:
    """How many flattrs the thing received, all months together (briefly cached)."""
    state = _state(context)
    counts = state["counts"]
    stored = counts.get(thing_id)
    if stored is None:
        doc = await context.db[store.THINGS].find_one({"_id": thing_id}, {"flattrs": 1})
        stored = int((doc or {}).get("flattrs", 0))
        counts.put(thing_id, stored)
    return max(0, stored + state["pending"].get(thing_id, 0))
