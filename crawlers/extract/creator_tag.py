"""`<meta name="omniflattr:creator" content="…">`: this service's own tag; several = co-authors."""

from __future__ import annotations

from crawlers.extract.page import Page
from crawlers.extract.signals import Signals
from crawlers.keys import creator_key


def extract(page: Page) -> Signals:
    found = Signals()
    for content in page.metas("omniflattr:creator"):
        # One tag may also list several creators separated by commas.
        for part in content.split(","):
            key = creator_key(part, page.service_url)
            if key:
                found.creators.append(key)
            elif part.strip():
                found.hint("rejected_creator_tags", part.strip()[:200])
    return found
