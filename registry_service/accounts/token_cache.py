"""A brief in-process cache of token lookups: most API calls then need no database trip.

An entry lives a few seconds; revoking a token in this process drops it at once, and
other service processes see a revocation (or a changed account) within the time-to-live.
"""

from __future__ import annotations

import time

from registry_service.context import Context

SERVICE = "accounts.token_cache"
TTL_S = 5.0
MAX_ENTRIES = 50_000


def _entries(context: Context) -> dict:
    entries = context.services.get(SERVICE)
    if entries is None:
        entries = context.services[SERVICE] = {}
    return entries


def get(context: Context, hashed: str) -> tuple[dict, dict] | None:
    """(token record, account) for a token hash, if looked up moments ago."""
    found = _entries(context).get(hashed)
    if found is None or found[0] < time.monotonic():
        return None
    return found[1], found[2]


def put(context: Context, hashed: str, record: dict, account: dict) -> None:
    entries = _entries(context)
    if len(entries) >= MAX_ENTRIES:
        entries.clear()
    entries[hashed] = (time.monotonic() + TTL_S, record, account)


def forget_token(context: Context, token_id) -> None:
    entries = _entries(context)
    for hashed in [h for h, (_, record, _) in entries.items() if record["_id"] == token_id]:
        entries.pop(hashed, None)
