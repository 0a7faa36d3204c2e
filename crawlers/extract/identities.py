"""`rel="me"` links and `<meta name="fediverse:creator">`: accounts the page claims as its own.

Both count only once the other side links back (checked by whoever uses them).
"""

from __future__ import annotations

import re

from crawlers.extract.page import Page
from crawlers.extract.signals import Signals

FEDIVERSE_HANDLE = re.compile(r"^@?([A-Za-z0-9_.-]{1,64})@([A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63})$")


def fediverse_profile_url(handle: str) -> str | None:
    """`@alice@example.social` → `https://example.social/@alice`."""
    match = FEDIVERSE_HANDLE.match(handle.strip())
    if not match:
        return None
    user, host = match.groups()
    return f"https://{host.lower()}/@{user}"


def extract(page: Page) -> Signals:
    found = Signals()
    found.identities += page.link_urls("me")
    for content in page.metas("fediverse:creator"):
        url = fediverse_profile_url(content)
        if url:
            found.identities.append(url)
            found.hint("fediverse_creator", content.strip()[:200])
    return found
