"""URL normalisation: what identifies a thing. (Placeholder until the resolver lands.)"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from registry_service.api.errors import BadRequest


class InvalidUrl(BadRequest):
    """Not a public http(s) URL; the message says what is wrong."""

    def __init__(self, message: str) -> None:
        super().__init__("invalid_url", message)


def normalize_url(raw: str) -> str:
    parts = urlsplit(raw.strip())
    if parts.scheme not in ("http", "https"):
        raise InvalidUrl(f"{parts.scheme or 'this'}: is not a web page")
    if not parts.hostname or "." not in parts.hostname:
        raise InvalidUrl("the URL has no public host name")
    return urlunsplit((parts.scheme, parts.hostname.lower(), parts.path or "/", parts.query, ""))
