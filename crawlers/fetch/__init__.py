"""The guarded HTTP client: public addresses only, pinned, capped, timed out."""

from crawlers.fetch.addresses import refusal_reason
from crawlers.fetch.client import (
    MAX_BYTES,
    MAX_REDIRECTS,
    GuardedClient,
    Timeouts,
    close_guarded_client,
    get_guarded_client,
    user_agent,
)
from crawlers.fetch.errors import FetchError, FetchResult
from crawlers.fetch.resolver import DnsLookup, GuardedResolver
from crawlers.fetch.targets import plan_request

__all__ = [
    "MAX_BYTES",
    "MAX_REDIRECTS",
    "DnsLookup",
    "FetchError",
    "FetchResult",
    "GuardedClient",
    "GuardedResolver",
    "Timeouts",
    "close_guarded_client",
    "get_guarded_client",
    "plan_request",
    "refusal_reason",
    "user_agent",
]
