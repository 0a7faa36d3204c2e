"""When to try again: retry backoff and re-crawl intervals (pure functions)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

MAX_ATTEMPTS = 5
RETRY_BASE = timedelta(minutes=1)
RETRY_MAX = timedelta(hours=6)
RECRAWL_UNCHANGED = timedelta(days=7)
RECRAWL_CHANGED = timedelta(days=1)
RECRAWL_GONE = timedelta(days=30)
MAX_RETRY_AFTER = timedelta(days=1)


def retry_delay(
    attempts: int, *, jitter: float = 0.1, rng: random.Random | None = None
) -> timedelta:
    """Exponential backoff after the `attempts`-th failed try (1 → 1 min, 2 → 2 min, ...)."""
    base = min(RETRY_BASE * (2 ** min(max(0, attempts - 1), 20)), RETRY_MAX)
    spread = (rng or random).uniform(-jitter, jitter)
    return base * (1 + spread)


def recrawl_delay(*, status: int | None, changed: bool) -> timedelta:
    """Weekly re-crawls; sooner for pages that just changed, later for pages that are gone."""
    if status in (404, 410):
        return RECRAWL_GONE
    if changed:
        return RECRAWL_CHANGED
    return RECRAWL_UNCHANGED


def parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    """A `Retry-After` header (seconds or an HTTP date) as a delay, capped at one day."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        delay = timedelta(seconds=int(value))
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        delay = when - now
    return max(timedelta(0), min(delay, MAX_RETRY_AFTER))
