"""Creator keys found in pages: `omniflattr:<handle>`, `flattr:<id>`, and other keys as written.

Pure functions; anything that is not clearly a key gives None (the page said nothing usable).
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qs, unquote, urlsplit

HANDLE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,62}$")
NAMESPACE = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
KEY_ID = re.compile(r"^[^\s<>\"'`]{1,200}$")
FLATTR_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
# Platforms whose ids are case-sensitive keep their case (YouTube channel ids).
CASE_SENSITIVE_NAMESPACES = frozenset({"youtube"})
FLATTR_HOSTS = frozenset({"flattr.com", "www.flattr.com", "api.flattr.com"})


def omniflattr_key(handle: str) -> str | None:
    handle = handle.strip().removeprefix("@").lower()
    return f"omniflattr:{handle}" if HANDLE.match(handle) else None


def normalize_key(value: str) -> str | None:
    """`<namespace>:<id>` with the namespace lowercased (and the id where case does not count)."""
    namespace, sep, ident = value.strip().partition(":")
    namespace = namespace.lower()
    if not sep or not NAMESPACE.match(namespace) or not KEY_ID.match(ident):
        return None
    if namespace == "omniflattr":
        return omniflattr_key(ident)
    if namespace == "flattr":
        return flattr_key(ident)
    if namespace not in CASE_SENSITIVE_NAMESPACES:
        ident = ident.lower()
    return f"{namespace}:{ident}"


@lru_cache(maxsize=16384)
def handle_from_service_url(url: str, service_url: str) -> str | None:
    """`https://<this service>/@alice` → `alice` (None for any other URL)."""
    page, service = urlsplit(url.strip()), urlsplit(service_url)
    if page.scheme not in ("http", "https") or not page.hostname or not service.hostname:
        return None
    if page.hostname.lower() != service.hostname.lower() or page.port != service.port:
        return None
    base = service.path.rstrip("/")
    path = unquote(page.path)
    if not path.startswith(base + "/@"):
        return None
    handle = path[len(base) + 2 :].rstrip("/")
    return handle if HANDLE.match(handle.lower()) else None


def creator_key(content: str, service_url: str) -> str | None:
    """The value of an `omniflattr:creator` tag: a key, a handle (`alice`, `@alice`), or a
    link to a creator page on this service."""
    value = content.strip()
    if not value:
        return None
    if value.startswith(("http://", "https://")):
        handle = handle_from_service_url(value, service_url)
        return omniflattr_key(handle) if handle else None
    if ":" in value:
        return normalize_key(value)
    return omniflattr_key(value)


def flattr_key(ident: str) -> str | None:
    ident = ident.strip()
    return f"flattr:{ident.lower()}" if FLATTR_ID.match(ident) else None


def flattr_key_from_url(url: str) -> str | None:
    """Legacy Flattr links: `flattr.com/submit/auto?user_id=<id>`, `flattr.com/profile/<id>`,
    `flattr.com/@<id>`, `flattr.com/thing/...` (no id) → None."""
    parts = urlsplit(url.strip())
    if (parts.hostname or "").lower() not in FLATTR_HOSTS:
        return None
    query = parse_qs(parts.query)
    for name in ("user_id", "uid", "user"):
        if query.get(name):
            return flattr_key(query[name][0])
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) >= 2 and segments[0] == "profile":
        return flattr_key(segments[1])
    if segments and segments[0].startswith("@"):
        return flattr_key(segments[0][1:])
    return None
