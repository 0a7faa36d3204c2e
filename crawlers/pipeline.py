"""Crawling one page: robots.txt, fetch (conditional), parse the head, enrich, store.

Workers run `read_page` (everything that talks to the site) then `store_page`, so a
slot reads its next page while the last one is stored; `crawl_page` is both at once, and
`crawl_now` crawls one URL at once (`omniflattr resolve --crawl`). Outcomes that should
be tried again later raise `RetryLater`; pages that cannot be crawled at all raise
`CrawlFailed`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from crawlers import batched, enrich, politeness, queue, robots, store
from crawlers.extract import Page, Signals, extract_head
from crawlers.extract.feed_document import extract_feed, looks_like_feed
from crawlers.extract.page import HeadEnd
from crawlers.fetch import FetchError, FetchResult, get_guarded_client
from crawlers.fetch.body import StopAt
from crawlers.platforms import platform_for
from crawlers.platforms.nodeinfo import account_of
from crawlers.schedule import parse_retry_after, recrawl_delay
from crawlers.sites import site_of
from registry_service.context import Context
from registry_service.resolve.changes import announce_change

log = logging.getLogger("omniflattr.crawler")

HTML_TYPES = ("text/html", "application/xhtml+xml", "")
# Failures worth another try later; the others (refused addresses, bad URLs) are final.
RETRYABLE_CODES = frozenset({"timeout", "connection_failed", "dns_failed", "bad_response"})
CRAWL_NOW_MAX_WAIT = 30.0

# A page crawl reads the head only: its download stops at the head's own `</head>`.
HEAD_END = StopAt(b"</head", lambda: HeadEnd().enough)


class RetryLater(Exception):
    def __init__(self, message: str, *, delay: timedelta | None = None, slow_down: bool = False):
        super().__init__(message)
        self.message = message
        self.delay = delay  # as the site asked (Retry-After), else the queue's backoff
        self.slow_down = slow_down  # the whole site asked us to slow down (429 / 503)


class CrawlFailed(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class CrawlOutcome:
    url: str
    outcome: str  # crawled | unchanged | disallowed
    status: int | None
    changed: bool
    signals: dict | None = None

    @property
    def next_crawl_in(self) -> timedelta:
        return recrawl_delay(status=self.status, changed=self.changed)


def conditional_headers(previous: dict | None) -> dict[str, str]:
    """If-None-Match / If-Modified-Since from the last successful crawl."""
    if not previous or previous.get("status") != 200 or not previous.get("fetched_at"):
        return {}
    headers = {}
    if previous.get("etag"):
        headers["If-None-Match"] = previous["etag"]
    if previous.get("last_modified"):
        headers["If-Modified-Since"] = previous["last_modified"]
    return headers


def read_signals(result: FetchResult, service_url: str) -> Signals:
    """Everything the fetched document itself says (head, platform markup, or feed)."""
    if not 200 <= result.status < 300:
        return Signals()
    if looks_like_feed(result.body, result.content_type):
        return extract_feed(result.body, result.final_url)
    if result.content_type not in HTML_TYPES:
        return Signals()
    page = Page.parse(result.body, result.final_url, service_url, result.charset)
    found = extract_head(page)
    platform = platform_for(urlsplit(result.final_url))
    if platform is not None:
        found.merge(platform.extract(result.body, urlsplit(result.final_url)))
    return found


async def _enrich(context: Context, url: str, found: Signals) -> Signals:
    extras = await enrich.extras_for(context, url, found.feeds[0] if found.feeds else None)
    found.also_accepts += extras.also_accepts
    if extras.software:
        parts = urlsplit(url)
        account = account_of(parts.path)
        found.hint("fediverse_software", extras.software)
        if account and not found.platform_key:
            found.platform_key = f"mastodon:{account.lower()}@{(parts.hostname or '').lower()}"
    return found.merge(extras.feed)


@dataclass
class PageRead:
    """A page fetched and understood, not stored yet (`store_page` does that)."""

    url: str
    at: datetime
    outcome: str  # crawled | unchanged | disallowed
    status: int | None
    previous: dict | None
    doc: dict | None = None  # the signals to store (crawled)
    found: Signals | None = None
    refusal: str = ""  # why robots.txt refused it (disallowed)

    @property
    def validators(self) -> dict[str, str] | None:
        """The conditional-GET headers for the next crawl; None: keep the current ones."""
        return conditional_headers(self.doc) if self.outcome == "crawled" else None


async def _fetch(context: Context, url: str, headers: dict[str, str], now: datetime) -> FetchResult:
    platform = platform_for(urlsplit(url))
    enrich.start_site_extras(context, url)  # a new site's extras come with its first page
    try:
        return await get_guarded_client(context).get(
            url, headers=headers, until=None if platform and platform.needs_body else HEAD_END
        )
    except FetchError as exc:
        if exc.code in RETRYABLE_CODES:
            raise RetryLater(exc.message) from None
        if await store.record_failure(context.db, url, exc.code, exc.message, now):
            await announce_change(context.db, f"crawl failed: {url}")
        raise CrawlFailed(exc.code, exc.message) from None


async def read_page(
    context: Context,
    url: str,
    *,
    stored: Awaitable[dict | None] | None = None,
    validators: dict[str, str] | None = None,
) -> PageRead:
    """Everything of a crawl that talks to the site: robots.txt, the (conditional) fetch,
    the head's signals and the site's extras. Raises `RetryLater` or `CrawlFailed`.

    `stored`: the page's stored signals, already asked for (`batched.load_signals`) by a
    caller that had other waiting to do meanwhile; else they are read here.
    `validators`: the conditional-GET headers, when the caller knows them (a queue job
    does): the fetch then starts without waiting for the stored record."""
    now = context.clock.now()
    previous_read = asyncio.ensure_future(
        stored if stored is not None else batched.load_signals(context, url)
    )
    try:
        rules = robots.remembered(context, url) or await robots.rules_for(context, url)
        if validators is None:
            validators = conditional_headers(await previous_read)
        if not rules.allows(url):
            previous = await previous_read
            return PageRead(url, now, "disallowed", None, previous, refusal=rules.explain(url))
        result = await _fetch(context, url, validators, now)
        previous = await previous_read
    finally:
        if not previous_read.done():
            previous_read.cancel()
    if result.status == 304 and validators:
        if previous and conditional_headers(previous) == validators:
            return PageRead(url, now, "unchanged", 200, previous)
        # Unchanged since a crawl that is not the one on record (the record is gone, or a
        # later crawl stored something else): ask for the whole page again.
        result = await _fetch(context, url, {}, now)
    if result.status in (429, 503) or result.status >= 500:
        delay = parse_retry_after(result.headers.get("Retry-After"), now)
        raise RetryLater(
            f"{url} answered HTTP {result.status}",
            delay=delay,
            slow_down=result.status in (429, 503),
        )
    found = read_signals(result, context.settings.base_url)
    if 200 <= result.status < 300:
        found = await _enrich(context, url, found)
    found.tidy()
    doc = {
        "final_url": result.final_url,
        "fetched_at": now,
        "status": result.status,
        "creators": found.deciding_creators(),
        "platform_key": found.platform_key,
        "identities": found.identities,
        "hints": {**found.hints, "feeds": found.feeds} if found.feeds else found.hints,
        "also_accepts": found.also_accepts,
        "etag": result.headers.get("ETag"),
        "last_modified": result.headers.get("Last-Modified"),
        "truncated": result.truncated,
    }
    if found.legacy_creators and found.creators:
        doc["hints"]["legacy_creators"] = found.legacy_creators
    return PageRead(url, now, "crawled", result.status, previous, doc, found)


async def store_page(context: Context, read: PageRead) -> CrawlOutcome:
    """Store what `read_page` found; changes are announced before this returns."""
    db, url, now = context.db, read.url, read.at
    if read.outcome == "disallowed":
        new = await store.record_failure(db, url, "robots_disallowed", read.refusal, now)
        if new:
            await announce_change(db, f"crawl refused by robots.txt: {url}")
        return CrawlOutcome(url, "disallowed", None, new)
    if read.outcome == "unchanged":
        await store.touch_signals(db, url, now)
        return CrawlOutcome(
            url, "unchanged", 200, False, {**(read.previous or {}), "fetched_at": now}
        )
    assert read.doc is not None and read.found is not None
    changed = await batched.save_signals(context, url, read.doc, read.previous)
    for alias, key in read.found.aliases.items():
        changed |= await store.save_alias(db, alias, key, now)
    software = (read.found.hints.get("fediverse_software") or [None])[0]
    if software:
        host = (urlsplit(url).hostname or "").lower()
        changed |= await store.save_fediverse_host(db, host, software, now)
    if changed:
        await batched.announce(context, f"crawled signals changed: {url}")
    return CrawlOutcome(url, "crawled", read.status, changed, {"_id": url, **read.doc})


async def crawl_page(context: Context, url: str) -> CrawlOutcome:
    """Crawl one normalised URL (the caller took the site's politeness slot)."""
    return await store_page(context, await read_page(context, url))


async def wait_for_site(context: Context, url: str, interval: float, max_wait: float) -> None:
    """Take the site's politeness slot, waiting for it (at most `max_wait` seconds)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + max_wait
    while True:
        rules = await robots.rules_for(context, url)
        wait = await politeness.reserve(
            context.db,
            site_of(url),
            interval=politeness.site_interval(interval, rules.crawl_delay()),
            now=datetime.now(UTC),
        )
        if wait <= 0:
            return
        if loop.time() + wait > deadline:
            raise RetryLater(f"{site_of(url)} was crawled too recently; try again in {wait:.0f} s")
        await asyncio.sleep(wait)


async def crawl_now(context: Context, url: str) -> dict:
    """Crawl a normalised URL at once, store and return its signals (`resolve --crawl`).

    Failures come back as the stored record with an `error` {code, message}.
    """
    try:
        await wait_for_site(context, url, politeness.DEFAULT_INTERVAL, max_wait=CRAWL_NOW_MAX_WAIT)
        outcome = await crawl_page(context, url)
    except (RetryLater, CrawlFailed) as exc:
        code = getattr(exc, "code", "retry_later")
        signals = await store.get_signals(context.db, url) or {"_id": url}
        return {**signals, "error": {"code": code, "message": exc.message}}
    next_at = datetime.now(UTC) + outcome.next_crawl_in
    validators = conditional_headers(outcome.signals) if outcome.signals else None
    await queue.mark_crawled(context.db, url, next_crawl_at=next_at, validators=validators)
    return outcome.signals or await store.get_signals(context.db, url) or {"_id": url}
