"""Creator keys: `<namespace>:<id>`, spelled the one way each namespace expects."""

from __future__ import annotations

import hashlib
import re

ACCOUNT_NAMESPACE = "omniflattr"  # this service's accounts: omniflattr:<handle>
DOMAIN_NAMESPACE = "domain"
LEGACY_FLATTR_NAMESPACE = "flattr"

MAX_KEY_LENGTH = 512
_NAMESPACE = re.compile(r"[a-z][a-z0-9_-]{0,31}")
_FORBIDDEN = re.compile(r"[\s/?#\x00-\x1f\x7f]")


def domain_key(host: str) -> str:
    return f"{DOMAIN_NAMESPACE}:{host}"


def account_key(handle: str) -> str:
    return f"{ACCOUNT_NAMESPACE}:{handle.lower()}"


def key_sha256(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def normalize_key(raw: object) -> str | None:
    """A key in its canonical spelling, or None when it is not a key.

    A bare handle (`alice`, `@alice`) is an account of this service, as the
    `omniflattr:creator` meta tag allows.
    """
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if not text or len(text) > MAX_KEY_LENGTH or _FORBIDDEN.search(text):
        return None
    namespace, sep, ident = text.partition(":")
    if not sep:
        namespace, ident = ACCOUNT_NAMESPACE, text.removeprefix("@")
    namespace = namespace.lower()
    if not ident or not _NAMESPACE.fullmatch(namespace):
        return None
    if namespace in (ACCOUNT_NAMESPACE, DOMAIN_NAMESPACE, LEGACY_FLATTR_NAMESPACE):
        ident = ident.lower()
        if namespace == ACCOUNT_NAMESPACE:
            ident = ident.removeprefix("@")
    else:
        from registry_service.resolve.platforms import BY_NAMESPACE

        adapter = BY_NAMESPACE.get(namespace)
        if adapter is not None:
            ident = adapter.normalize_id(ident)
    return f"{namespace}:{ident}" if ident else None
