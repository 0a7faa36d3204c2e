"""JSON-LD `author` / `creator` / `publisher` (`name`, `url`, `sameAs`): hints only."""

from __future__ import annotations

import json
from collections.abc import Iterator

from crawlers.extract.page import Page
from crawlers.extract.signals import Signals

MAX_SCRIPT = 256 * 1024
MAX_DEPTH = 6
ROLES = ("author", "creator", "publisher")


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _nodes(data, depth: int = 0) -> Iterator[dict]:
    """Every object of a JSON-LD document that may carry authors (nested graphs too)."""
    if depth > MAX_DEPTH:
        return
    for item in _as_list(data):
        if isinstance(item, dict):
            yield item
            for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
                if key in item:
                    yield from _nodes(item[key], depth + 1)


def _person(page: Page, role: str, value) -> dict | None:
    if isinstance(value, str):
        url = page.absolute(value) if value.startswith(("http://", "https://", "/")) else None
        return {"role": role, "name": None if url else value[:200], "url": url, "same_as": []}
    if not isinstance(value, dict):
        return None
    name = value.get("name")
    url = value.get("url") or value.get("@id")
    same_as = [page.absolute(s) for s in _as_list(value.get("sameAs") or []) if isinstance(s, str)]
    person = {
        "role": role,
        "name": name[:200] if isinstance(name, str) else None,
        "url": page.absolute(url) if isinstance(url, str) else None,
        "same_as": [s for s in same_as if s][:10],
    }
    if isinstance(value.get("@type"), str):
        person["type"] = value["@type"][:50]
    return person if person["name"] or person["url"] or person["same_as"] else None


def people(page: Page) -> list[dict]:
    found = []
    for text in page.scripts("application/ld+json"):
        if len(text) > MAX_SCRIPT:
            continue
        try:
            data = json.loads(text)
        except ValueError:
            continue
        for node in _nodes(data):
            for role in ROLES:
                for value in _as_list(node.get(role) or []):
                    person = _person(page, role, value)
                    if person:
                        found.append(person)
    return found


def extract(page: Page) -> Signals:
    found = Signals()
    found.hint("jsonld_people", *people(page))
    return found
