"""The per-site clock shared by workers (in MongoDB)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from crawlers import politeness

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


async def test_one_slot_per_interval_whoever_asks(context):
    db = context.db
    waits = await asyncio.gather(
        *(politeness.reserve(db, "example.org", interval=2.0, now=T0) for _ in range(8))
    )
    assert sorted(waits)[0] == 0.0
    assert [w for w in waits if w == 0.0] == [0.0]  # exactly one worker got the slot
    assert all(1.9 < w <= 2.0 for w in waits if w)
    # Another site is independent.
    assert await politeness.reserve(db, "other.org", interval=2.0, now=T0) == 0.0
    assert await politeness.reserve(db, "example.org", interval=2.0, now=T0 + timedelta(2)) == 0


async def test_back_off_pushes_the_site_clock(context):
    db = context.db
    await politeness.back_off(db, "slow.org", until=T0 + timedelta(seconds=120), reason="429")
    wait = await politeness.reserve(db, "slow.org", interval=1.0, now=T0)
    assert 119 < wait <= 120


def test_robots_crawl_delay_lengthens_but_is_capped():
    assert politeness.site_interval(1.0, None) == 1.0
    assert politeness.site_interval(1.0, 5) == 5.0
    assert politeness.site_interval(1.0, 0.1) == 1.0
    assert politeness.site_interval(1.0, 86400) == politeness.MAX_CRAWL_DELAY
