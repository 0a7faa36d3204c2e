"""Any URL -> the creator key it pays (see shared/specs/creator-keys.md)."""

from registry_service.resolve.changes import announce_change
from registry_service.resolve.resolver import Resolution, Resolver, get_resolver
from registry_service.resolve.urls import InvalidUrl, normalize_url

__all__ = [
    "InvalidUrl",
    "Resolution",
    "Resolver",
    "announce_change",
    "get_resolver",
    "normalize_url",
]
