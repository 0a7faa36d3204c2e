"""What a thing pays now, as the flattr routes show it (the settlement resolves again).

Resolutions are cached for a few seconds per thing in this process, so a popular page
is not resolved on every click; money is decided at settlement from a fresh resolution.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from crawlers import queue
from registry_service.claims.ownership import owners_of
from registry_service.context import Context
from registry_service.ledger.cache import TtlCache
from registry_service.resolve import get_resolver

SERVICE = "ledger.resolutions"
TTL_S = 60.0


@dataclass(frozen=True)
class Current:
    normalized: str
    key: str
    keys: tuple[str, ...]
    source: str
    pending: bool
    claimed: bool
    declined: bool  # every key of the thing declined donations
    creator: dict | None

    def to_json(self) -> dict:
        return {
            "key": self.key,
            "keys": list(self.keys),
            "source": self.source,
            "pending": self.pending,
            "claimed": self.claimed,
            "declined": self.declined,
            "creator": self.creator,
        }


def _cache(context: Context) -> TtlCache:
    cache = context.services.get(SERVICE)
    if cache is None:
        cache = context.services[SERVICE] = TtlCache(TTL_S, 50_000)
    return cache


def _accepts_priority(resolver) -> bool:
    try:
        return "priority" in inspect.signature(resolver.resolve).parameters
    except (TypeError, ValueError):
        return False


async def _declined(context: Context, resolution) -> bool:
    keys = tuple(resolution.keys) or (resolution.key,)
    flag = getattr(resolution, "declined", None)
    if flag is not None and len(keys) == 1:
        return bool(flag)
    owners = await owners_of(context.db, keys)
    return all(k in owners and owners[k].declined for k in keys)


async def current(context: Context, url: str, normalized: str, *, for_flattr: bool) -> Current:
    """The thing's current resolution; a flattr also queues a crawl at flattr priority."""
    cache = _cache(context)
    found = cache.get(normalized)
    if found is not None:
        return found
    resolver = get_resolver(context)
    if for_flattr and _accepts_priority(resolver):
        resolution = await resolver.resolve(url, crawl=True, priority=queue.PRIORITY_FLATTR)
    else:
        resolution = await resolver.resolve(url, crawl=not for_flattr)
        if for_flattr:
            await queue.enqueue(
                context.db, normalized, priority=queue.PRIORITY_FLATTR, reason="flattr"
            )
    found = Current(
        normalized=normalized,
        key=resolution.key,
        keys=tuple(resolution.keys) or (resolution.key,),
        source=resolution.source,
        pending=bool(resolution.pending),
        claimed=bool(resolution.claimed),
        declined=await _declined(context, resolution),
        creator=resolution.creator,
    )
    cache.put(normalized, found)
    return found


def forget(context: Context, normalized: str) -> None:
    _cache(context).drop(normalized)
