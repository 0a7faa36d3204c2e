"""Signals the browser extension saw in a page: stored as hints, and a crawl is queued.

The browser is not the site, so these never decide a key: only the crawler's own fetch
of the page can. They are validated and size-limited, kept apart from crawled signals.
"""

from __future__ import annotations

import json

from crawlers import queue, store
from registry_service.api.errors import BadRequest
from registry_service.context import Context
from registry_service.resolve import normalize_url

MAX_HINTS_BYTES = 8 * 1024
MAX_VALUES = 20
MAX_TEXT = 500
ALLOWED = frozenset(
    {
        "creator",  # omniflattr:creator values
        "payment",  # rel=payment hrefs
        "flattr_id",
        "me",  # rel=me hrefs
        "fediverse_creator",
        "author",
        "article_author",
        "twitter_creator",
        "monetization",
        "jsonld_author",
        "feeds",
    }
)


def validate_hints(hints: object) -> dict[str, list[str]]:
    """{name: [short strings]} with known names only, or `BadRequest` saying what is wrong."""
    if not isinstance(hints, dict):
        raise BadRequest("invalid_hints", "hints must be a JSON object of lists of strings")
    if len(json.dumps(hints, default=str)) > MAX_HINTS_BYTES:
        raise BadRequest("invalid_hints", f"hints are larger than {MAX_HINTS_BYTES} bytes")
    clean: dict[str, list[str]] = {}
    for name, value in hints.items():
        if name not in ALLOWED:
            known = ", ".join(sorted(ALLOWED))
            raise BadRequest("invalid_hints", f"unknown hint {str(name)[:50]!r}; known: {known}")
        values = value if isinstance(value, list) else [value]
        if len(values) > MAX_VALUES:
            raise BadRequest("invalid_hints", f"{name}: at most {MAX_VALUES} values")
        for item in values:
            if not isinstance(item, str) or len(item) > MAX_TEXT:
                raise BadRequest(
                    "invalid_hints", f"{name}: each value must be a string of ≤ {MAX_TEXT} chars"
                )
        texts = [v.strip() for v in values if v.strip()]
        if texts:
            clean[name] = texts
    return clean


async def submit_hints(context: Context, url: str, hints: dict) -> dict:
    """Store the extension's hints for a page and queue a crawl; never decides a key."""
    normalized = normalize_url(url)
    clean = validate_hints(hints)
    await store.save_extension_hints(context.db, normalized, clean, context.clock.now())
    await queue.enqueue(
        context.db, normalized, priority=queue.PRIORITY_RESOLVE, reason="extension hints"
    )
    return {"url": normalized, "hints": clean, "crawl_queued": True}
