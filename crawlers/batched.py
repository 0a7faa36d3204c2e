"""The crawl pipeline's per-page database calls, coalesced across concurrent crawls."""

from __future__ import annotations

from crawlers import store
from crawlers.batching import coalescer
from registry_service.resolve.changes import announce_change


async def load_signals(context, url: str) -> dict | None:
    async def run(urls: list[str]) -> list[dict | None]:
        return await store.get_many_signals(context.db, urls)

    return await coalescer(context, "crawler_load_signals", run).submit(url)


async def save_signals(context, url: str, doc: dict, previous: dict | None) -> bool:
    async def run(items: list[tuple[str, dict, dict | None]]) -> list[bool]:
        return await store.save_many_signals(context.db, items)

    return await coalescer(context, "crawler_save_signals", run).submit((url, doc, previous))


async def announce(context, reason: str) -> None:
    """One change-version bump for all the pages that changed meanwhile."""

    async def run(reasons: list[str]) -> list[None]:
        more = f" (and {len(reasons) - 1} more)" if len(reasons) > 1 else ""
        await announce_change(context.db, reasons[0] + more)
        return [None] * len(reasons)

    await coalescer(context, "crawler_announce", run).submit(reason)
