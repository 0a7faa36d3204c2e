"""Signals from beyond the page: FUNDING.yml, NodeInfo, funding.json and the page's feed.

Each is fetched through the guarded client, obeys robots.txt, and is cached (per
repository, origin or feed) for a week, so crawling many pages of one site costs
these fetches once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
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


def _kept(context, cache_id: str, checked_field: str) -> dict | None:
    """The cached record if this process remembers it and it is fresh (no I/O)."""
    kept = context.services.get(MEMORY, {}).get(cache_id)
    if kept and kept[0] > time.monotonic() and _fresh(kept[1], checked_field, context.clock.now()):
        return kept[1]
    return None


async def _cached(context, cache_id: str, field: str, compute) -> list[dict]:
    kept = _kept(context, cache_id, f"{field}_checked_at")
    if kept is not None:
        return list(kept.get(field) or [])
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


def _github_cache_id(url: str) -> str | None:
    repository = github.repository_of(urlsplit(url))
    return f"github:{repository[0].lower()}/{repository[1].lower()}" if repository else None


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

    return await _cached(context, _github_cache_id(url) or "", "funding", compute)


async def site_funding(context, url: str) -> list[dict]:
    """funding.json at the origin's root, or listed in .well-known/funding-manifest-urls."""
    origin = origin_of(url)

    async def compute() -> list[dict]:
        # Both asked at once: the listing is only read when there is no funding.json.
        result, listing = await asyncio.gather(
            fetch_allowed(context, origin + "/funding.json"),
            fetch_allowed(context, origin + "/.well-known/funding-manifest-urls"),
        )
        if result is not None:
            return parse_funding_json(result.body, origin + "/funding.json").also_accepts
        for manifest in manifest_urls(listing.text()) if listing else []:
            found = await fetch_allowed(context, manifest)
            if found is not None:
                return parse_funding_json(found.body, manifest).also_accepts
        return []

    return await _cached(context, origin, "funding", compute)


def _may_be_fediverse(url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return nodeinfo.account_of(parts.path) is not None and not is_platform_host(host)


async def fediverse_software(context, url: str) -> str | None:
    """The fediverse software of the URL's host (NodeInfo), for account-like paths only."""
    if not _may_be_fediverse(url):
        return None
    host = (urlsplit(url).hostname or "").lower()
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
    return _feed_found(hints, also)


def _feed_found(hints: dict, also: list) -> Signals:
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


@dataclass
class Extras:
    """What a page's site says beyond the page: other ways to support, fediverse software,
    the feed's authors."""

    also_accepts: list[dict]
    software: str | None
    feed: Signals


def remembered_extras(context, url: str, feed_url: str | None) -> Extras | None:
    """The extras of `url` if this process remembers all of them (no I/O), else None."""
    also: list[dict] = []
    github_id = _github_cache_id(url)
    if github_id is not None:
        kept = _kept(context, github_id, "funding_checked_at")
        if kept is None:
            return None
        also += kept.get("funding") or []
    kept = _kept(context, origin_of(url), "funding_checked_at")
    if kept is None:
        return None
    also += kept.get("funding") or []
    software = None
    if _may_be_fediverse(url):
        kept = _kept(context, origin_of(url), "nodeinfo_checked_at")
        if kept is None:
            return None
        software = kept.get("software")
    feed = Signals()
    if feed_url and same_site(url, feed_url):
        kept = _kept(context, "feed:" + feed_url, "checked_at")
        if kept is None:
            return None
        feed = _feed_found(kept.get("hints") or {}, kept.get("also") or [])
    return Extras([dict(item) for item in also], software, feed)


def start_site_extras(context, url: str) -> asyncio.Future | None:
    """Start fetching what `url`'s site says whatever the page holds (FUNDING.yml,
    funding.json, NodeInfo) unless this process remembers it, so that it comes while the
    page itself is fetched; `extras_for` then joins these fetches (once per site). None when
    there is nothing to fetch. Nobody has to await the result (errors are logged)."""
    if remembered_extras(context, url, None) is not None:
        return None
    ahead = asyncio.ensure_future(
        asyncio.gather(
            github_funding(context, url),
            site_funding(context, url),
            fediverse_software(context, url),
        )
    )
    ahead.add_done_callback(_log_failure)
    return ahead


def _log_failure(future: asyncio.Future) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.warning("fetching a site's extras failed: %s", future.exception())


async def extras_for(context, url: str, feed_url: str | None) -> Extras:
    """The extras of `url`'s site: remembered, else read or fetched (all at once)."""
    known = remembered_extras(context, url, feed_url)
    if known is not None:
        return known
    github_items, site_items, software, feed = await asyncio.gather(
        github_funding(context, url),
        site_funding(context, url),
        fediverse_software(context, url),
        feed_signals(context, url, feed_url) if feed_url else _nothing(),
    )
    return Extras(github_items + site_items, software, feed)


async def _nothing() -> Signals:
    return Signals()
