"""Things: the normalised URLs people flattr, with a stable id and a flattr count."""

from __future__ import annotations

import contextlib
import hashlib

from pymongo.errors import DuplicateKeyError

from registry_service.context import Context
from registry_service.ledger import store
from registry_service.ledger.cache import TtlCache
from registry_service.resolve import normalize_url

SERVICE = "ledger.things"
COUNT_TTL_S = 30.0


def thing_id_for(normalized: str) -> str:
    """A stable id derived from the normalised URL: known without a database round trip."""
    return hashlib.sha256(normalized.encode()).hexdigest()[:24]


def _caches(context: Context) -> dict:
    caches = context.services.get(SERVICE)
    if caches is None:
        caches = context.services[SERVICE] = {
            "known": TtlCache(24 * 3600.0, 200_000),
            "counts": TtlCache(COUNT_TTL_S, 50_000),
        }
    return caches


async def ensure_thing(context: Context, normalized: str) -> tuple[str, bool]:
    """The thing's id, creating the thing once. Returns (id, new to this process)."""
    thing_id = thing_id_for(normalized)
    known = _caches(context)["known"]
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


async def flattr_count(context: Context, thing_id: str) -> int:
    """How many flattrs the thing received, all months together (briefly cached)."""
    counts = _caches(context)["counts"]
    cached = counts.get(thing_id)
    if cached is not None:
        return cached
    count = await store.funder_months(context.db).count_documents({"flattrs.thing_id": thing_id})
    counts.put(thing_id, count)
    return count
