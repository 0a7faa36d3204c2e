"""`<meta name="flattr:id" content="<id>">`: the legacy Flattr tag → `flattr:<id>`."""

from __future__ import annotations

from crawlers.extract.page import Page
from crawlers.extract.signals import Signals
from crawlers.keys import flattr_key


def extract(page: Page) -> Signals:
    found = Signals()
    for content in page.metas("flattr:id"):
        key = flattr_key(content)
        if key:
            found.legacy_creators.append(key)
    return found
