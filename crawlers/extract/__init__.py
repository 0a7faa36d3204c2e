"""Extractors: one module per kind of signal, each reading only a page's `<head>`."""

from __future__ import annotations

from crawlers.extract import (
    authors,
    creator_tag,
    feed_links,
    flattr_meta,
    identities,
    jsonld,
    monetization,
    payment,
)
from crawlers.extract.page import Page
from crawlers.extract.signals import Signals

HEAD_EXTRACTORS = (
    creator_tag.extract,
    payment.extract,
    flattr_meta.extract,
    identities.extract,
    jsonld.extract,
    authors.extract,
    monetization.extract,
    feed_links.extract,
)


def extract_head(page: Page) -> Signals:
    """Every head signal of a parsed page."""
    found = Signals()
    for extractor in HEAD_EXTRACTORS:
        found.merge(extractor(page))
    return found


__all__ = ["HEAD_EXTRACTORS", "Page", "Signals", "extract_head"]
