"""Any URL -> the creator key it pays (see shared/specs/creator-keys.md).

Names are imported on first use, so `omniflattr resolve --offline` loads neither the
database driver nor the web framework.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

_EXPORTS = {
    "InvalidUrl": "registry_service.resolve.urls",
    "normalize_url": "registry_service.resolve.urls",
    "announce_change": "registry_service.resolve.changes",
    "Resolution": "registry_service.resolve.resolver",
    "Resolver": "registry_service.resolve.resolver",
    "get_resolver": "registry_service.resolve.resolver",
}

__all__ = [
    "InvalidUrl",
    "Resolution",
    "Resolver",
    "announce_change",
    "get_resolver",
    "normalize_url",
]

if TYPE_CHECKING:
    from registry_service.resolve.changes import announce_change
    from registry_service.resolve.resolver import Resolution, Resolver, get_resolver
    from registry_service.resolve.urls import InvalidUrl, normalize_url


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
