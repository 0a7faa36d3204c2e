"""A fetched page's `<head>`, parsed once with beautifulsoup4 on lxml, and ways to read it.

Only the head is parsed: the text up to its `</head>` — the first one outside comments and
the elements whose text is not markup (`<script>`, `<style>`, `<title>`), as a browser and
libxml2 both read it. A page whose head does not close within the budget is cut at `<body`
or at `HEAD_BUDGET` bytes (the bounded fallback).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, ParserRejectedMarkup, Tag
from bs4.builder import LXMLTreeBuilder
from bs4.element import AttributeDict
from bs4.filter import ElementFilter
from lxml import etree

HEAD_BUDGET = 512 * 1024
# What the head's end is looked for among: its end, or the start of text to step over.
_HEAD_TOKENS = re.compile(rb"</head\s*>|<!--|<(script|style|title)(?=[\s/>])", re.IGNORECASE)
_HEAD_END_SO_FAR = re.compile(rb"</(?:h(?:e(?:a(?:d\s*)?)?)?)?", re.IGNORECASE)
_COMMENT_END = re.compile(rb"-->")
_TEXT_ENDS = {
    name: re.compile(rb"</" + name + rb"(?=[\s/>])", re.IGNORECASE)
    for name in (b"script", b"style", b"title")
}
_BODY_START = re.compile(rb"<body[\s>]", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)


_HEAD_LIMIT = HEAD_BUDGET + 16
_TOKEN_TAIL = 64  # bytes a token cut by the end of the data so far may already take


class HeadEnd:
    """Finds the end of a document's head as the document grows, reading each byte about
    once (a download asks after every chunk).

    A `</head>` inside a comment or a script's, style's or title's text does not end the
    head (a script may well write "</head>" in a string).
    """

    def __init__(self) -> None:
        self._position = 0
        self._closing: re.Pattern[bytes] | None = None  # inside text: what ends it

    def find(self, data: bytes | bytearray) -> int | None:
        """Where the head's `</head>` ends in `data` (the document so far, within the
        budget), or None."""
        limit = min(len(data), _HEAD_LIMIT)
        while True:
            if self._closing is not None:
                end = self._closing.search(data, self._position, limit)
                if end is None:
                    return self._wait(data, limit)
                self._position, self._closing = end.end(), None
            token = _HEAD_TOKENS.search(data, self._position, limit)
            if token is None:
                return self._wait(data, limit)
            if token.group(0)[1:2] == b"/":
                return token.end()
            name = token.group(1)
            self._closing = _COMMENT_END if name is None else _TEXT_ENDS[name.lower()]
            self._position = token.end()

    def _wait(self, data: bytes | bytearray, limit: int) -> None:
        """Resume where a token cut by the end of the data may start."""
        resume = max(self._position, limit - _TOKEN_TAIL)
        cut = data.rfind(b"<", self._position, limit)
        if 0 <= cut < resume and _HEAD_END_SO_FAR.fullmatch(data, cut, limit):
            resume = cut  # `</head` and any number of spaces so far
        self._position = resume

    def enough(self, data: bytes | bytearray) -> bool:
        """Whether a download of the document can stop: its head has ended, or the budget
        is read (the head is cut there, see `head_bytes`)."""
        return self.find(data) is not None or len(data) > _HEAD_LIMIT


def head_end(data: bytes) -> int | None:
    """Where the head's `</head>` ends in `data` (within the budget), or None."""
    return HeadEnd().find(data)


def head_closed(data: bytes) -> bool:
    """Whether `data`, the start of a document, holds the end of its head."""
    return head_end(data) is not None


def head_bytes(body: bytes) -> bytes:
    """The bytes of the document up to and including `</head>`, or a bounded fallback."""
    end = head_end(body)
    if end is not None:
        return body[:end]
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


def _absolute(base: str, href: str) -> str | None:
    if href.startswith(("https://", "http://")) and " " not in href:
        url = href  # already absolute: joining would change nothing
    else:
        url = urljoin(base, href)
    return url if _is_http_url(url) else None


def _is_http_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


SIGNAL_TAGS = ("meta", "link", "a", "script", "base")
# What the extractors read from a head. Only these tags are built; asking a `Page` for
# anything else is a programming error (it raises), so a new extractor adds its names here.
SIGNAL_METAS = frozenset(
    {
        "omniflattr:creator",
        "flattr:id",
        "fediverse:creator",
        "article:author",
        "twitter:creator",
        "author",
        "monetization",
    }
)
SIGNAL_RELS = frozenset({"me", "payment", "author", "monetization", "alternate"})
SIGNAL_SCRIPTS = frozenset({"application/ld+json"})


def meta_key(attrs: dict[str, str]) -> str:
    """What a `<meta>` is called: its name, else property, else itemprop (lowercase)."""
    for attr in ("name", "property", "itemprop"):
        key = (attrs.get(attr) or "").strip().lower()
        if key:
            return key
    return ""


def script_type(attrs: dict[str, str]) -> str:
    return (attrs.get("type") or "").split(";")[0].strip().lower()


def is_signal_tag(name: str, attrs: dict[str, str]) -> bool:
    """Whether an extractor reads this tag (decided from its name and attributes)."""
    if name == "meta":
        return meta_key(attrs) in SIGNAL_METAS
    if name in ("link", "a"):
        return not SIGNAL_RELS.isdisjoint((attrs.get("rel") or "").lower().split())
    if name == "script":
        return script_type(attrs) in SIGNAL_SCRIPTS
    return name == "base"


class _SignalTagsOnly(ElementFilter):
    """beautifulsoup4's `parse_only`: builds the tags an extractor reads, nothing else."""

    def allow_tag_creation(self, nsprefix: str | None, name: str, attrs) -> bool:
        return is_signal_tag(name, attrs or {})

    def allow_string_creation(self, string: str) -> bool:
        return False  # text outside those tags (a script's own text is kept with it)


_ONLY_SIGNAL_TAGS = _SignalTagsOnly()


@dataclass
class Element:
    """One tag of the head that can carry a signal: its name, attributes and text."""

    name: str
    attrs: dict[str, str]
    text: str = ""

    def get(self, attr: str, default: str | None = None) -> str | None:
        return self.attrs.get(attr, default)


class _HeadTreeBuilder(LXMLTreeBuilder):
    """beautifulsoup4's lxml tree builder for heads, made cheaper where nothing is lost.

    - It asks the soup's `parse_only` filter as soon as lxml reports a tag, before any
      per-tag work: a tag no extractor reads (and its text) never reaches the soup.
      beautifulsoup4 itself asks only after preparing the tag's attributes, so on a head of
      mostly other tags (`og:*`, styles, preloads) this halves the parse.
    - Comments, doctypes and processing instructions are never read: not passed on.
    - No charset substitution is set up on `<meta>` tags (that only matters when a soup is
      written back out), and attribute values stay the strings they are (`rel="me author"`
      is split by the reader), in a plain dict (lxml gives only strings: nothing to fix).
    - libxml2's HTML parser reports no namespaces, so a built tag goes straight to the
      soup, without the XML builder's namespace bookkeeping; and one lxml parser is kept
      for every head this builder reads (beautifulsoup4 makes a new one per document).
    """

    def __init__(self) -> None:
        super().__init__(multi_valued_attributes=None, attribute_dict_class=AttributeDict)
        self._built: list[bool] = []  # for each open tag: whether it is in the soup
        self._in_body = False
        self._parser: etree.HTMLParser | None = None

    def parser_for(self, encoding):
        # The soup is given text (decoded by Python), so the encoding is always None.
        if self._parser is None:
            self._parser = etree.HTMLParser(target=self, recover=True, encoding=encoding)
        return self._parser

    def initialize_soup(self, soup: BeautifulSoup) -> None:
        super().initialize_soup(soup)
        self._built = []
        self._in_body = False

    def start(self, tag, attrib, nsmap={}) -> None:  # noqa: B006 (lxml's signature)
        # Only the head counts: once the body starts (written, or implied by a tag that
        # belongs in a body, as in a page with neither <head> nor <body>), nothing is built.
        # A commenter's link must never decide whom a page pays.
        if tag == "body":
            self._in_body = True
        parse_only = self.soup.parse_only if self.soup is not None else None
        built = not self._in_body and (
            parse_only is None or parse_only.allow_tag_creation(None, tag, attrib)
        )
        self._built.append(built)
        if built:
            self.soup.handle_starttag(tag, None, None, attrib)

    def end(self, tag) -> None:
        if self._built.pop():
            self.soup.endData()
            self.soup.handle_endtag(tag, None)

    def data(self, data) -> None:
        if self._built and self._built[-1]:
            super().data(data)

    def comment(self, text) -> None:
        pass

    def doctype(self, name, pubid, system) -> None:
        pass

    def pi(self, target, data) -> None:
        pass

    def set_up_substitutions(self, tag: Tag) -> bool:
        return False


_builders = threading.local()  # a builder holds its soup while parsing: one per thread


def _soup_elements(text: str) -> list[Element]:
    """The head's signal tags, parsed by beautifulsoup4 on lxml (other tags never built)."""
    builder = getattr(_builders, "builder", None)
    if builder is None:
        builder = _builders.builder = _HeadTreeBuilder()
    try:
        soup = BeautifulSoup(text, builder=builder, parse_only=_ONLY_SIGNAL_TAGS)
    except ParserRejectedMarkup:
        builder._parser = None  # a fresh lxml parser for the next head
        return []
    elements = []
    for tag in soup.descendants:
        if isinstance(tag, Tag):
            # lxml gives lowercase tag and attribute names for HTML.
            text = (tag.string or "") if tag.name == "script" else ""
            elements.append(Element(tag.name, dict(tag.attrs), text))
    return elements


def _lxml_elements(head: bytes, charset: str) -> list[Element]:
    """The same tags read straight from lxml's tree (libxml2's HTML parser, the parser
    beautifulsoup4's "lxml" feature wraps), without building Python objects per tag."""
    # Decoded by Python (which knows every codec alias), handed to libxml2 as UTF-8.
    data = head.decode(charset, errors="replace").encode("utf-8")
    try:
        parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, no_network=True)
        root = etree.fromstring(data, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError, LookupError):
        return []
    if root is None:
        return []
    head = root.find("head")  # only the head counts (see _HeadTreeBuilder.start)
    if head is None:
        return []
    # libxml2's HTML parser lowercases tag and attribute names already.
    elements = []
    for tag in head.iter(*SIGNAL_TAGS):
        attrs = dict(tag.attrib)
        if is_signal_tag(tag.tag, attrs):
            text = (tag.text or "") if tag.tag == "script" else ""
            elements.append(Element(tag.tag, attrs, text))
    return elements


# Both parsers give the same elements (tested). The issue asks for beautifulsoup4 on lxml:
# "bs4" is the default; "lxml" (its tree read directly) is kept for comparison (bench/crawl).
HEAD_PARSERS = ("lxml", "bs4")
DEFAULT_PARSER = "bs4"


@dataclass
class Page:
    url: str  # the final URL (relative links resolve against it, or <base href>)
    service_url: str
    elements: list[Element] = field(default_factory=list)
    _metas: dict[str, list[str]] = field(default_factory=dict)
    _rels: dict[str, list[Element]] = field(default_factory=dict)

    @classmethod
    def parse(
        cls,
        body: bytes,
        url: str,
        service_url: str,
        charset: str | None = None,
        *,
        parser: str | None = None,
    ) -> Page:
        head = head_bytes(body)
        encoding = sniff_charset(head, charset)
        if (parser or DEFAULT_PARSER) == "bs4":
            elements = _soup_elements(head.decode(encoding, errors="replace"))
        else:
            elements = _lxml_elements(head, encoding)
        page = cls(url, service_url, elements)
        page._index()
        return page

    def _index(self) -> None:
        """One pass over the tags: metas by name, links by rel token, the base URL."""
        based = False
        for element in self.elements:
            if element.name == "meta":
                content = (element.get("content") or "").strip()
                if content:
                    self._metas.setdefault(meta_key(element.attrs), []).append(content)
            elif element.name in ("link", "a"):
                for rel in (element.get("rel") or "").lower().split():
                    self._rels.setdefault(rel, []).append(element)
            elif element.name == "base" and element.get("href") and not based:
                based = True
                candidate = urljoin(self.url, (element.get("href") or "").strip())
                if _is_http_url(candidate):
                    self.url = candidate

    def absolute(self, href: str) -> str | None:
        """An absolute http(s) URL from an attribute value, or None."""
        href = (href or "").strip()
        if not href or len(href) > 2048:
            return None
        return _absolute(self.url, href)

    def metas(self, *names: str) -> list[str]:
        """`content` of `<meta name=…>` / `<meta property=…>` / `<meta itemprop=…>` tags."""
        wanted = {_read("meta", n.lower(), SIGNAL_METAS, "SIGNAL_METAS") for n in names}
        if len(names) == 1:
            return list(self._metas.get(names[0].lower(), []))
        return [c for key, values in self._metas.items() if key in wanted for c in values]

    def links(self, rel: str, *, tags: tuple[str, ...] = ("link", "a")) -> list[Element]:
        """Elements whose `rel` holds this token (rel is a space-separated, case-free list)."""
        rel = _read("rel", rel.lower(), SIGNAL_RELS, "SIGNAL_RELS")
        return [e for e in self._rels.get(rel, []) if e.name in tags]

    def link_urls(self, rel: str, *, tags: tuple[str, ...] = ("link", "a")) -> list[str]:
        urls = []
        for element in self.links(rel, tags=tags):
            url = self.absolute(element.get("href") or "")
            if url:
                urls.append(url)
        return urls

    def scripts(self, mime: str) -> list[str]:
        mime = _read("script type", mime.lower(), SIGNAL_SCRIPTS, "SIGNAL_SCRIPTS")
        scripts = (e for e in self.elements if e.name == "script")
        return [e.text for e in scripts if script_type(e.attrs) == mime]


def _read(kind: str, name: str, parsed: frozenset[str], where: str) -> str:
    if name not in parsed:
        raise ValueError(f"{kind} {name!r} is not parsed from heads: add it to {where}")
    return name
