"""Feeds the page advertises (`<link rel="alternate" type="application/rss+xml">`)."""

from __future__ import annotations

from crawlers.extract.page import Page
from crawlers.extract.signals import Signals

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")


def extract(page: Page) -> Signals:
    found = Signals()
    for tag in page.links("alternate", tags=("link",)):
        kind = str(tag.get("type") or "").split(";")[0].strip().lower()
        if kind in FEED_TYPES:
            url = page.absolute(str(tag.get("href") or ""))
            if url:
                found.feeds.append(url)
    return found
