"""Signals from beyond the page: FUNDING.yml, NodeInfo, funding.json and the page's feed.

Each is fetched through the guarded client, obeys robots.txt, and is cached (per
repository, origin or feed) for a week, so crawling many pages of one site costs
these fetches once.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from crawlers import robots, store
from crawlers.batching import once
from crawlers.extract.feed_document import extract_feed, looks_like_feed
from crawlers.extract.funding_json import manifest_urls, parse_funding_json
from crawlers.extract.funding_yml import parse_funding_yml
from crawlers.extract.signals import Signals
from crawlers.fetch import FetchError, FetchResult, get_guarded_client
from crawlers.platforms import github, is_platform_host, nodeinfo
from crawlers.sites import origin_of, same_site

log = logging.getLogger("omniflattr.crawler")

FRESH = timedelta(days=7)
SMALL = 256 * 1024
FEED_BYTES = 1024 * 1024


async def fetch_allowed(context, url: str, *, max_bytes: int = SMALL) -> FetchResult | None:
    """A 2xx answer for `url` if robots.txt allows it and it can be fetched; else None."""
    rules = await robots.rules_for(context, url)
    if not rules.allows(url):
        return None
    try:
        result = await get_guarded_client(context).get(url, max_bytes=max_bytes)
    except FetchError as exc:
        log.info("extra fetch of %s failed: %s", url, exc.message)
        return None
    return result if 200 <= result.status < 300 and not result.truncated else None


def _fresh(doc: dict | None, field: str, now: datetime) -> bool:
    return bool(doc and doc.get(field) and doc[field] > now - FRESH)


MEMORY = "crawler_origin_memory"
MEMORY_SECONDS = 300.0


async def _origin_info(context, cache_id: str) -> dict | None:
    """crawl_origins, remembered in the process for a few minutes (many pages, one site)."""
    memory = context.services.setdefault(MEMORY, {})
    kept = memory.get(cache_id)
    if kept is not None and kept[0] > time.monotonic():
        return kept[1]
    doc = await store.get_origin_info(context.db, cache_id)
    _remember(context, cache_id, doc)
    return doc


def _remember(context, cache_id: str, doc: dict | None) -> None:
    memory = context.services.setdefault(MEMORY, {})
    if len(memory) > 10_000:
        memory.clear()
    memory[cache_id] = (time.monotonic() + MEMORY_SECONDS, doc)


async def _save_origin_info(context, cache_id: str, fields: dict) -> None:
    await store.save_origin_info(context.db, cache_id, fields)
    previous = context.services.get(MEMORY, {}).get(cache_id)
    _remember(context, cache_id, {**((previous and previous[1]) or {}), "_id": cache_id, **fields})


async def _cached(context, cache_id: str, field: str, compute) -> list[dict]:
    kept = context.services.get(MEMORY, {}).get(cache_id)
    now = context.clock.now()
    if kept and kept[0] > time.monotonic() and _fresh(kept[1], f"{field}_checked_at", now):
        return list(kept[1].get(field) or [])
    return await once(
        context, f"{field}:{cache_id}", lambda: _cached_now(context, cache_id, field, compute)
    )


async def _cached_now(context, cache_id: str, field: str, compute) -> list[dict]:
    """A week-long cache of `also_accepts` items in crawl_origins."""
    now = context.clock.now()
    doc = await _origin_info(context, cache_id)
    if _fresh(doc, f"{field}_checked_at", now):
        return list(doc.get(field) or [])
    items = await compute()
    await _save_origin_info(context, cache_id, {field: items, f"{field}_checked_at": now})
    return items


async def github_funding(context, url: str) -> list[dict]:
    repository = github.repository_of(urlsplit(url))
    if repository is None:
        return []

    async def compute() -> list[dict]:
        for candidate in github.funding_file_urls(*repository):
            result = await fetch_allowed(context, candidate, max_bytes=64 * 1024)
            if result is not None:
                return parse_funding_yml(result.text(), candidate).tidy().also_accepts
        return []

    owner, repo = repository
    return await _cached(context, f"github:{owner.lower()}/{repo.lower()}", "funding", compute)


async def site_funding(context, url: str) -> list[dict]:
    """funding.json at the origin's root, or listed in .well-known/funding-manifest-urls."""
    origin = origin_of(url)

    async def compute() -> list[dict]:
        result = await fetch_allowed(context, origin + "/funding.json")
        if result is not None:
            return parse_funding_json(result.body, origin + "/funding.json").also_accepts
        listing = await fetch_allowed(context, origin + "/.well-known/funding-manifest-urls")
        for manifest in manifest_urls(listing.text()) if listing else []:
            found = await fetch_allowed(context, manifest)
            if found is not None:
                return parse_funding_json(found.body, manifest).also_accepts
        return []

    return await _cached(context, origin, "funding", compute)


async def fediverse_software(context, url: str) -> str | None:
    """The fediverse software of the URL's host (NodeInfo), for account-like paths only."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if nodeinfo.account_of(parts.path) is None or is_platform_host(host):
        return None
    origin = origin_of(url)
    return await once(context, "nodeinfo:" + origin, lambda: _probe_nodeinfo(context, origin, host))


async def _probe_nodeinfo(context, origin: str, host: str) -> str | None:
    now = context.clock.now()
    doc = await _origin_info(context, origin)
    if _fresh(doc, "nodeinfo_checked_at", now):
        return doc.get("software")
    software = None
    listing = await fetch_allowed(context, origin + "/.well-known/nodeinfo", max_bytes=64 * 1024)
    target = nodeinfo.document_url(listing.body, host) if listing else None
    if target:
        document = await fetch_allowed(context, target, max_bytes=64 * 1024)
        software = nodeinfo.software_of(document.body) if document else None
    await _save_origin_info(context, origin, {"software": software, "nodeinfo_checked_at": now})
    return software


async def feed_signals(context, page_url: str, feed_url: str) -> Signals:
    """Authors and podcast:funding of the page's own feed (same site only), cached."""
    if not same_site(page_url, feed_url):
        return Signals()
    hints, also = await once(context, "feed:" + feed_url, lambda: _feed_now(context, feed_url))
    return Signals(hints={k: list(v) for k, v in hints.items()}, also_accepts=list(also))


async def _feed_now(context, feed_url: str) -> tuple[dict, list]:
    now = context.clock.now()
    cached = await _origin_info(context, "feed:" + feed_url)
    if _fresh(cached, "checked_at", now):
        return cached.get("hints") or {}, cached.get("also") or []
    result = await fetch_allowed(context, feed_url, max_bytes=FEED_BYTES)
    found = Signals()
    if result is not None and looks_like_feed(result.body, result.content_type):
        found = extract_feed(result.body, feed_url)
    await _save_origin_info(
        context,
        "feed:" + feed_url,
        {"hints": found.hints, "also": found.also_accepts, "checked_at": now},
    )
    return found.hints, found.also_accepts
