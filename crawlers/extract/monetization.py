"""Web Monetization: `<link rel="monetization" href="<wallet>">` (and the older
`<meta name="monetization" content="$wallet.example/alice">` payment pointer)."""

from __future__ import annotations

from crawlers.extract.page import Page
from crawlers.extract.signals import Signals


def pointer_to_url(pointer: str) -> str | None:
    """A payment pointer `$host/path` is the URL `https://host/path` (default path
    `/.well-known/pay`)."""
    pointer = pointer.strip()
    if not pointer.startswith("$") or len(pointer) < 4:
        return None
    rest = pointer[1:]
    host, slash, path = rest.partition("/")
    if not host or " " in rest:
        return None
    return f"https://{host}{slash}{path}" if slash else f"https://{host}/.well-known/pay"


def extract(page: Page) -> Signals:
    found = Signals()
    for url in page.link_urls("monetization", tags=("link",)):
        found.accept("web_monetization", url)
    for content in page.metas("monetization"):
        url = pointer_to_url(content) or page.absolute(content)
        if url:
            found.accept("web_monetization", url)
    return found
