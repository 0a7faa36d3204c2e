"""RSS / Atom feeds: their authors (hints) and `<podcast:funding>` links (also accepts).

Parsed with lxml without entities, DTDs or network, so a hostile feed cannot expand.
"""

from __future__ import annotations

from lxml import etree

from crawlers.extract.signals import Signals

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
MAX_ITEMS = 20
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True
)


def looks_like_feed(body: bytes, content_type: str) -> bool:
    if content_type in ("application/rss+xml", "application/atom+xml"):
        return True
    start = body[:512].lstrip().lower()
    if start.startswith(b"<?xml"):
        return b"<rss" in body[:2048].lower() or b"<feed" in body[:2048].lower()
    return start.startswith((b"<rss", b"<feed"))


def _local(tag) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _text(element) -> str:
    return " ".join((element.text or "").split())[:200]


def extract_feed(body: bytes, url: str) -> Signals:
    found = Signals()
    try:
        root = etree.fromstring(body, _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return found
    if root is None:
        return found
    items = 0
    for element in root.iter():
        name = _local(element.tag)
        if name in ("item", "entry"):
            items += 1
            if items > MAX_ITEMS:
                break
        namespace = etree.QName(element.tag).namespace if isinstance(element.tag, str) else None
        if namespace == PODCAST_NS and name == "funding":
            link = (element.get("url") or "").strip()
            if link.startswith(("http://", "https://")):
                found.accept("podcast_funding", link, label=_text(element) or None)
        elif name == "author" and len(element):  # Atom: <author><name/><uri/></author>
            person = {_local(child.tag): _text(child) for child in element}
            found.hint(
                "feed_authors",
                {"name": person.get("name") or None, "url": person.get("uri") or None},
            )
        elif name in ("author", "creator", "managingeditor") and element.text:
            found.hint("feed_authors", {"name": _text(element), "url": None})
        elif name == "owner" and namespace and "itunes" in namespace:
            person = {_local(child.tag): _text(child) for child in element}
            if person.get("name"):
                found.hint("feed_authors", {"name": person["name"], "url": None})
    return found.tidy()
