"""`<link rel="payment">`: to this service's `/@handle` (decides the key), to flattr.com
(legacy Flattr key), or anywhere else (another way to support the creator)."""

from __future__ import annotations

from crawlers.extract.page import Page
from crawlers.extract.signals import Signals
from crawlers.keys import flattr_key_from_url, handle_from_service_url, omniflattr_key


def extract(page: Page) -> Signals:
    found = Signals()
    for url in page.link_urls("payment", tags=("link", "a")):
        handle = handle_from_service_url(url, page.service_url)
        key = omniflattr_key(handle) if handle else None
        if key:
            found.creators.append(key)
            continue
        legacy = flattr_key_from_url(url)
        if legacy:
            found.legacy_creators.append(legacy)
            continue
        found.accept("payment", url)
    return found
