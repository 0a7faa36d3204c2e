"""A platform adapter: a few settings saying which pages it reads and how to find the owner."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import SplitResult

from crawlers.extract.signals import Signals

_JSONLD = re.compile(
    rb"""<script[^>]*type\s*=\s*["']application/ld\+json["'][^>]*>(.*?)</script>""",
    re.IGNORECASE | re.DOTALL,
)
MAX_JSONLD = 256 * 1024


def jsonld_documents(body: bytes) -> list:
    """Every JSON-LD block of a whole page (platform pages put them in the body too)."""
    documents = []
    for match in _JSONLD.finditer(body):
        raw = match.group(1)
        if len(raw) > MAX_JSONLD:
            continue
        try:
            documents.append(json.loads(raw.decode("utf-8", errors="replace")))
        except ValueError:
            continue
    return documents


def jsonld_people_urls(documents: list, roles=("author", "creator", "publisher")) -> list[str]:
    urls: list[str] = []

    def visit(node, depth: int) -> None:
        if depth > 6:
            return
        if isinstance(node, list):
            for item in node:
                visit(item, depth + 1)
        elif isinstance(node, dict):
            for role in roles:
                for person in (
                    node.get(role) if isinstance(node.get(role), list) else [node.get(role)]
                ):
                    if isinstance(person, dict) and isinstance(person.get("url"), str):
                        urls.append(person["url"])
                    elif isinstance(person, str):
                        urls.append(person)
            if "@graph" in node:
                visit(node["@graph"], depth + 1)

    for document in documents:
        visit(document, 0)
    return urls


@dataclass(frozen=True)
class Platform:
    name: str
    hosts: frozenset[str]
    # Pages of this platform whose creator is only in the page (path regex on the URL path).
    crawled_paths: tuple[re.Pattern, ...] = field(default_factory=tuple)
    # Read past </head>: the owner is in the page's markup or data, further down.
    needs_body: bool = True

    def matches(self, parts: SplitResult) -> bool:
        host = (parts.hostname or "").lower()
        if host not in self.hosts:
            return False
        return not self.crawled_paths or any(p.search(parts.path) for p in self.crawled_paths)

    def extract(self, body: bytes, parts: SplitResult) -> Signals:
        raise NotImplementedError


@dataclass(frozen=True)
class VideoOwnerPlatform(Platform):
    """A video page whose owner's profile URL appears in JSON-LD or the page's data."""

    namespace: str = ""
    owner_url: re.Pattern = re.compile(r"$^")  # group 1: the owner's id in a profile URL
    reserved: frozenset[str] = frozenset()
    data_patterns: tuple[re.Pattern, ...] = ()  # group 1: a profile URL in the page's data

    def owner_from_url(self, url: str) -> str | None:
        match = self.owner_url.match(url.replace("\\/", "/"))
        if not match:
            return None
        owner = match.group(1).lower()
        return None if owner in self.reserved else owner

    def extract(self, body: bytes, parts: SplitResult) -> Signals:
        found = Signals()
        candidates = jsonld_people_urls(jsonld_documents(body))
        text = body.decode("utf-8", errors="replace")
        for pattern in self.data_patterns:
            candidates += [m.group(1) for m in pattern.finditer(text)][:3]
        for url in candidates:
            owner = self.owner_from_url(url)
            if owner:
                found.platform_key = f"{self.namespace}:{owner}"
                found.hint("platform_owner", url.replace("\\/", "/"))
                break
        return found
