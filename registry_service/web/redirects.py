"""Where a page may send someone back to after signing in (`next=`): only this site."""

from __future__ import annotations

from urllib.parse import urlsplit

DEFAULT_NEXT = "/account"


def safe_next(raw: str | None, default: str = DEFAULT_NEXT) -> str:
    """`raw` if it is a path on this site, else `default`.

    Browsers read `//evil.example`, `/\\evil.example` and `\\\\evil` as other hosts, and
    drop tabs and newlines inside URLs, so only a single leading slash followed by
    printable ASCII without backslashes is accepted (a Location header is ASCII anyway).
    """
    if not raw or len(raw) > 2000:
        return default
    if not raw.startswith("/") or raw.startswith(("//", "/\\")):
        return default
    if any(ch == "\\" or not 0x21 <= ord(ch) < 0x7F for ch in raw):
        return default
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc:
        return default
    return raw
