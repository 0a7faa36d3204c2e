"""Crawling one page now: fetch, parse the head, store its signals. (Placeholder.)"""

from __future__ import annotations

from registry_service.context import Context


async def crawl_now(context: Context, url: str) -> dict:
    """Crawl a normalised URL at once (used by `omniflattr resolve --crawl`); its signals."""
    raise NotImplementedError("the crawler is not built yet")
