"""What a person typed where a page or a creator is expected: a creator key or an address.

`github:alice`, `domain:example.org`, `mastodon:alice@example.social` and `@alice` are
keys (of a namespace the resolver knows); `https://example.org/post`, `example.org/post`
and `github.com/alice` are addresses (a missing `https://` is added); anything else with
a scheme (`ftp:`, `javascript:`) is an address the URL rules refuse by name. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from registry_service.resolve.keys import (
    ACCOUNT_NAMESPACE,
    DOMAIN_NAMESPACE,
    LEGACY_FLATTR_NAMESPACE,
    normalize_key,
)
from registry_service.resolve.platforms import BY_NAMESPACE

NAMESPACES = frozenset(
    {ACCOUNT_NAMESPACE, DOMAIN_NAMESPACE, LEGACY_FLATTR_NAMESPACE, *BY_NAMESPACE}
)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_HANDLE = re.compile(r"^@[a-z0-9][a-z0-9_-]{1,31}$", re.IGNORECASE)
MAX_LENGTH = 4096


@dataclass(frozen=True)
class Target:
    kind: str  # "key" | "url" | "invalid"
    value: str


def classify(raw: str) -> Target:
    text = (raw or "").strip()
    if not text or len(text) > MAX_LENGTH:
        return Target("invalid", text)
    if text.lower().startswith(("http://", "https://")):
        return Target("url", text)
    namespace, sep, rest = text.partition(":")
    if _HANDLE.match(text) or (sep and namespace.lower() in NAMESPACES):
        key = normalize_key(text)
        return Target("key", key) if key else Target("invalid", text)
    if _SCHEME.match(text) and "." not in namespace and not rest[:1].isdigit():
        return Target("url", text)
    return Target("url", "https://" + text)
