"""Signals the browser extension saw in a page's head: stored as hints, never deciding a key.

The browser is not the site, so only the crawler's own fetch of the page can decide who
made it (page-signals.md). What the extension sends with a flattr is kept apart from
crawled signals, shown to people, and makes sure a crawl is queued.

The vocabulary below is the one the extension's content script produces
(`extension/src/content/`). Names this service does not know are dropped rather than
refused, so a newer extension still flattrs through an older service; a payload that is
not an object or is too large is refused with a reason.
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
TEXT_HINTS = frozenset({"title", "canonical", "og_url", "flattr_id", "twitter_creator"})
LIST_HINTS = frozenset(
    {
        "creators",  # <meta name="omniflattr:creator">
        "payment",  # rel=payment hrefs
        "me",  # rel=me hrefs
        "fediverse_creator",
        "authors",  # meta author, article:author
        "author_links",  # rel=author hrefs
        "monetization",
        "funding",
    }
)
PERSON_FIELDS = ("role", "name", "url")


def _text(name: str, value: object) -> str:
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise BadRequest(
            "invalid_hints", f"{name}: each value must be a string of ≤ {MAX_TEXT} chars"
        )
    return value.strip()


def _texts(name: str, value: object) -> list[str]:
    values = value if isinstance(value, list) else [value]
    if len(values) > MAX_VALUES:
        raise BadRequest("invalid_hints", f"{name}: at most {MAX_VALUES} values")
    return [text for text in (_text(name, v) for v in values) if text]


def _people(value: object) -> list[dict]:
    """JSON-LD authors and publishers: {role, name, url, same_as} with short strings only."""
    items = value if isinstance(value, list) else [value]
    people = []
    for item in items[:MAX_VALUES]:
        if not isinstance(item, dict):
            raise BadRequest("invalid_hints", "json_ld: each person must be an object")
        person = {f: _text(f"json_ld.{f}", item[f]) for f in PERSON_FIELDS if item.get(f)}
        same_as = _texts("json_ld.same_as", item.get("same_as") or [])
        if same_as:
            person["same_as"] = same_as
        if person:
            people.append(person)
    return people


def clean_hints(hints: object) -> dict:
    """The known hints, trimmed and bounded, or `BadRequest` saying what is wrong."""
    if not isinstance(hints, dict):
        raise BadRequest("invalid_hints", "hints must be a JSON object")
    size = len(json.dumps(hints, default=str, ensure_ascii=False).encode())
    if size > MAX_HINTS_BYTES:
        raise BadRequest(
            "hints_too_large", f"hints take {size} bytes; at most {MAX_HINTS_BYTES} are kept"
        )
    clean: dict = {}
    for name, value in hints.items():
        if value is None:
            continue
        if name in TEXT_HINTS:
            found = _text(name, value)
        elif name in LIST_HINTS:
            found = _texts(name, value)
        elif name == "json_ld":
            found = _people(value)
        else:
            continue  # a hint this service does not know yet
        if found:
            clean[name] = found
    return clean


async def submit_hints(
    context: Context, url: str, hints: dict, *, queue_crawl: bool = True
) -> dict:
    """Store the extension's hints for a page and (unless done already) queue a crawl."""
    normalized = normalize_url(url)
    clean = clean_hints(hints)
    if clean:
        await store.save_extension_hints(context.db, normalized, clean, context.clock.now())
    if queue_crawl:
        await queue.enqueue(
            context.db, normalized, priority=queue.PRIORITY_RESOLVE, reason="extension hints"
        )
    return {"url": normalized, "hints": clean, "crawl_queued": queue_crawl}
