"""In-process rate limits (token buckets) for hot, cheap routes such as resolve.

Each service process limits on its own; behind a load balancer the effective
limit is the per-process limit times the number of processes. Limits that must
hold across processes (sign-in, claim attempts) use `DbRateLimit`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from datetime import timedelta

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from registry_service.api.errors import TooManyRequests


@dataclass
class RateLimit:
    """`rate` requests per `per` seconds per key, with bursts up to `burst`."""

    rate: int
    per: float
    burst: int | None = None
    _buckets: dict[object, tuple[float, float]] = field(default_factory=dict, repr=False)

    def fresh(self) -> RateLimit:
        """The same limit with no client counted yet."""
        return RateLimit(self.rate, self.per, self.burst)

    def check(self, key: object) -> None:
        capacity = float(self.burst or self.rate)
        refill = self.rate / self.per
        now = time.monotonic()
        tokens, last = self._buckets.get(key, (capacity, now))
        tokens = min(capacity, tokens + (now - last) * refill)
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            raise TooManyRequests(math.ceil((1.0 - tokens) / refill))
        self._buckets[key] = (tokens - 1.0, now)
        if len(self._buckets) > 100_000:  # forget idle clients
            self._buckets.clear()


async def db_rate_limit(
    db: AsyncDatabase, key: str, limit: int, window: timedelta, now, message: str = ""
) -> None:
    """A fixed-window counter shared by every process (collection `rate_limits`)."""
    seconds = int(window.total_seconds())
    window_start = int(now.timestamp()) // seconds * seconds
    doc = await db.rate_limits.find_one_and_update(
        {"_id": f"{key}:{window_start}"},
        {"$inc": {"count": 1}, "$setOnInsert": {"expires_at": now + window}},
        upsert=True,
        return_document=ReturnDocument.AFTER,
    )
    if doc["count"] > limit:
        raise TooManyRequests(window_start + seconds - int(now.timestamp()), message)
