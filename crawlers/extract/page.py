"""A fetched page's `<head>`, parsed once with beautifulsoup4 on lxml, and ways to read it.

Only the head is parsed: the text up to `</head>`. A page whose head does not close
within the budget is cut at `<body` or at `HEAD_BUDGET` bytes (the bounded fallback).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

HEAD_BUDGET = 512 * 1024
_HEAD_END = re.compile(rb"</head\s*>", re.IGNORECASE)
_BODY_START = re.compile(rb"<body[\s>]", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)


def head_bytes(body: bytes) -> bytes:
    """The bytes of the document up to and including `</head>`, or a bounded fallback."""
    end = _HEAD_END.search(body, 0, HEAD_BUDGET + 16)
    if end:
        return body[: end.end()]
    start = _BODY_START.search(body, 0, HEAD_BUDGET)
    if start:
        return body[: start.start()]
    return body[:HEAD_BUDGET]


def sniff_charset(body: bytes, declared: str | None) -> str:
    if declared:
        return declared
    if body.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    found = _META_CHARSET.search(body[:4096])
    if found:
        name = found.group(1).decode("ascii", "replace").lower()
        try:
            "".encode(name)
            return name
        except LookupError:
            pass
    return "utf-8"


def _is_http_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


@dataclass
class Page:
    url: str  # the final URL (relative links resolve against it, or <base href>)
    soup: BeautifulSoup
    service_url: str

    @classmethod
    def parse(cls, body: bytes, url: str, service_url: str, charset: str | None = None) -> Page:
        head = head_bytes(body)
        text = head.decode(sniff_charset(head, charset), errors="replace")
        soup = BeautifulSoup(text, "lxml")
        page = cls(url, soup, service_url)
        base = soup.find("base", href=True)
        if isinstance(base, Tag):
            candidate = urljoin(url, str(base["href"]).strip())
            if _is_http_url(candidate):
                page.url = candidate
        return page

    def absolute(self, href: str) -> str | None:
        """An absolute http(s) URL from an attribute value, or None."""
        href = (href or "").strip()
        if not href or len(href) > 2048:
            return None
        url = urljoin(self.url, href)
        return url if _is_http_url(url) else None

    def metas(self, *names: str) -> list[str]:
        """`content` of `<meta name=…>` / `<meta property=…>` / `<meta itemprop=…>` tags."""
        wanted = {n.lower() for n in names}
        found = []
        for tag in self.soup.find_all("meta"):
            for attr in ("name", "property", "itemprop"):
                value = tag.get(attr)
                if isinstance(value, str) and value.strip().lower() in wanted:
                    content = tag.get("content")
                    if isinstance(content, str) and content.strip():
                        found.append(content.strip())
                    break
        return found

    def links(self, rel: str, *, tags: tuple[str, ...] = ("link", "a")) -> list[Tag]:
        """Elements whose `rel` holds this token (rel is a space-separated, case-free list)."""
        rel = rel.lower()
        found = []
        for tag in self.soup.find_all(list(tags)):
            rels = tag.get("rel") or []
            if isinstance(rels, str):
                rels = rels.split()
            if rel in (r.lower() for r in rels):
                found.append(tag)
        return found

    def link_urls(self, rel: str, *, tags: tuple[str, ...] = ("link", "a")) -> list[str]:
        urls = []
        for tag in self.links(rel, tags=tags):
            url = self.absolute(str(tag.get("href") or ""))
            if url:
                urls.append(url)
        return urls

    def scripts(self, mime: str) -> list[str]:
        texts = []
        for tag in self.soup.find_all("script"):
            kind = str(tag.get("type") or "").split(";")[0].strip().lower()
            if kind == mime:
                texts.append(tag.string or tag.get_text() or "")
        return texts
