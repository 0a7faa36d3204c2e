"""Platform proofs: the token in public profile content only the account can publish.

Each platform is a small `ProofAdapter` made of settings: which pages to read for an
account (`sources`), and where on each page the account's own words are (CSS selectors
for HTML, field paths for JSON, the whole body for raw files). Other people's words on the
same page (comments, pinned repositories of others) are never looked at.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import quote, urlsplit

from bs4 import BeautifulSoup

from registry_service.claims.findings import Finding
from registry_service.claims.methods.fetching import fetch, status_problem
from registry_service.claims.tokens import contains_token
from registry_service.context import Context

META_DESCRIPTIONS = (
    'meta[name="description"]',
    'meta[property="og:description"]',
    'meta[name="twitter:description"]',
)


@dataclass(frozen=True)
class Source:
    """One page to read for an account, and where the account's own words are on it."""

    url: str
    description: str  # "the GitHub profile", used in messages
    kind: Literal["html", "json", "text"] = "html"
    places: tuple[str, ...] = ()  # CSS selectors (html) or dotted paths with [] (json)
    headers: dict[str, str] = field(default_factory=dict)
    # JSON only: the path and expected value that prove the document is this account's.
    identity: tuple[str, str] | None = None
    # The final URL (after same-host redirects) must still match this, or the page is
    # someone else's (GitHub redirects a gist to its real owner's path).
    owner_url: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Surface:
    texts: list[str]
    links: list[tuple[str, str]]  # (href, rel) of links inside the account's own words


class ProofAdapter:
    namespace: str = ""
    label: str = ""
    where: str = ""  # for instructions: "your bio or your website field"
    proof_url_pattern: re.Pattern[str] | None = None  # pages a person may point us to

    def sources(self, ident: str) -> list[Source]:
        raise NotImplementedError

    def proof_url_source(self, ident: str, url: str) -> Source | None:
        """A page the person names (a gist), when this platform accepts one for `ident`."""
        return None

    def rel_me_target(self, context: Context, handle: str) -> str | None:
        """The creator page a rel=me link must point to, for platforms that accept one."""
        return None


def q(text: str) -> str:
    return quote(text, safe="@._-")


def read_surface(source: Source, body: bytes) -> Surface | str:
    """The account's own words on a page, or a sentence saying why the page is not theirs."""
    if source.kind == "text":
        return Surface([body.decode("utf-8", errors="replace")], [])
    if source.kind == "json":
        try:
            data = json.loads(body)
        except ValueError:
            return f"{source.url} did not answer with JSON."
        if source.identity is not None:
            path, expected = source.identity
            found = [str(v).lower() for v in json_values(data, path)]
            if expected.lower() not in found:
                return f"{source.url} describes another account, not {expected}."
        texts = [str(v) for place in source.places for v in json_values(data, place)]
        links = [link for text in texts for link in html_links(text)]
        return Surface(texts, links)
    soup = BeautifulSoup(body, "lxml")
    texts: list[str] = []
    links: list[tuple[str, str]] = []
    for selector in source.places:
        for element in soup.select(selector):
            if element.name == "meta":
                texts.append(str(element.get("content", "")))
                continue
            texts.append(element.get_text(" "))
            texts.extend(str(v) for k, v in element.attrs.items() if k.startswith("data-"))
            anchors = [element] if element.name in ("a", "link") else element.find_all("a")
            for a in anchors:
                href = str(a.get("href", ""))
                texts.append(href)
                links.append((href, " ".join(a.get("rel") or [])))
    return Surface(texts, links)


def json_values(data: object, path: str) -> list[object]:
    """Values at a dotted path; `name[]` walks every item of a list."""
    current = [data]
    for part in path.split("."):
        many = part.endswith("[]")
        name = part.removesuffix("[]")
        step: list[object] = []
        for item in current:
            value = item.get(name) if isinstance(item, dict) else None
            if value is None:
                continue
            if many and isinstance(value, list):
                step.extend(value)
            else:
                step.append(value)
        current = step
    return [v for v in current if isinstance(v, str | int | float)]


def html_links(fragment: str) -> list[tuple[str, str]]:
    if "<a" not in fragment:
        return []
    soup = BeautifulSoup(fragment, "lxml")
    return [(str(a.get("href", "")), " ".join(a.get("rel") or [])) for a in soup.find_all("a")]


def same_page(a: str, b: str) -> bool:
    """Two URLs name the same page (scheme and host case, a trailing slash aside)."""
    pa, pb = urlsplit(a.strip()), urlsplit(b.strip())
    return (
        pa.scheme.lower() in ("http", "https")
        and pa.scheme.lower() == pb.scheme.lower()
        and (pa.hostname or "") == (pb.hostname or "")
        and pa.port == pb.port
        and pa.path.rstrip("/") == pb.path.rstrip("/")
    )


async def check_source(
    context: Context, source: Source, token: str, me_target: str | None
) -> Finding:
    fetched = await fetch(context, source.url, headers=source.headers or None)
    problem = status_problem(source.url, fetched)
    if problem is not None:
        return Finding("profile", source.url, *problem)
    final = fetched.result.final_url
    if source.owner_url is not None and not source.owner_url.fullmatch(final):
        return Finding(
            "profile",
            source.url,
            "mismatch",
            f"{source.url} led to {final}, which belongs to another account.",
        )
    surface = read_surface(source, fetched.result.body)
    if isinstance(surface, str):
        return Finding("profile", source.url, "mismatch", surface)
    if any(contains_token(text, token) for text in surface.texts):
        return Finding(
            "profile", source.url, "found", f"{source.description} ({source.url}) shows your token."
        )
    if me_target is not None and any(
        "me" in rel.split() and same_page(href, me_target) for href, rel in surface.links
    ):
        return Finding(
            "rel_me",
            source.url,
            "found",
            f'{source.description} ({source.url}) links to {me_target} with rel="me".',
        )
    return Finding(
        "profile",
        source.url,
        "mismatch",
        f"{source.description} ({source.url}) does not contain the token.",
    )


async def check_platform(
    context: Context,
    adapter: ProofAdapter,
    ident: str,
    token: str,
    *,
    handle: str | None = None,
    proof_url: str | None = None,
) -> list[Finding]:
    sources = adapter.sources(ident)
    if proof_url:
        extra = adapter.proof_url_source(ident, proof_url)
        if extra is None:
            return [
                Finding(
                    "profile",
                    proof_url,
                    "mismatch",
                    f"{proof_url} is not a page of {adapter.namespace}:{ident} that can hold "
                    "a proof; leave proof_url out or name such a page.",
                )
            ]
        sources = [extra, *sources]
    me_target = adapter.rel_me_target(context, handle) if handle else None
    return list(
        await asyncio.gather(*(check_source(context, s, token, me_target) for s in sources))
    )
