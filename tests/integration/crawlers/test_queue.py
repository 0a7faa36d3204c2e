"""The crawl queue on a real database: de-duplication, priorities, leases, retries, dead jobs."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from crawlers import queue
from crawlers.schedule import MAX_ATTEMPTS

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


async def test_the_same_url_queued_twice_is_one_job_with_the_higher_priority(context):
    db = context.db
    url = "https://example.org/a"
    await queue.enqueue(db, url, priority=queue.PRIORITY_RESOLVE, reason="resolve", now=T0)
    await queue.enqueue(db, url, priority=queue.PRIORITY_FLATTR, reason="flattr", now=T0)
    await queue.enqueue(db, url, priority=queue.PRIORITY_RECRAWL, reason="again", now=T0)
    jobs = await db.crawl_jobs.find({}).to_list()
    assert len(jobs) == 1
    assert jobs[0]["priority"] == queue.PRIORITY_FLATTR
    assert await queue.pending(db, [url, "https://example.org/other"]) == {url}


async def test_flattred_pages_are_leased_first(context):
    db = context.db
    await queue.enqueue(db, "https://a.org/recrawl", priority=queue.PRIORITY_RECRAWL, now=T0)
    await queue.enqueue(db, "https://a.org/resolve", priority=queue.PRIORITY_RESOLVE, now=T0)
    await queue.enqueue(db, "https://a.org/flattr", priority=queue.PRIORITY_FLATTR, now=T0)
    order = []
    for _ in range(3):
        job = await queue.lease(db, "w1", lease_seconds=60, now=T0)
        order.append(job.url)
    assert order == ["https://a.org/flattr", "https://a.org/resolve", "https://a.org/recrawl"]
    assert await queue.lease(db, "w1", lease_seconds=60, now=T0) is None


async def test_concurrent_leases_never_hand_out_one_job_twice(context):
    db = context.db
    urls = [f"https://site{i}.org/" for i in range(20)]
    for url in urls:
        await queue.enqueue(db, url, now=T0)
    leased = await asyncio.gather(
        *(queue.lease(db, f"w{i}", lease_seconds=60, now=T0) for i in range(30))
    )
    got = [job.url for job in leased if job is not None]
    assert sorted(got) == sorted(urls)


async def test_an_expired_lease_comes_back_to_another_worker(context):
    db = context.db
    await queue.enqueue(db, "https://a.org/", now=T0)
    first = await queue.lease(db, "crashed", lease_seconds=30, now=T0)
    assert await queue.lease(db, "other", lease_seconds=30, now=T0 + timedelta(seconds=29)) is None
    again = await queue.lease(db, "other", lease_seconds=30, now=T0 + timedelta(seconds=31))
    assert again.url == first.url and again.lease_owner == "other" and again.attempts == 2
    # The crashed worker's late completion does not count: the lease is not its own.
    assert not await queue.complete(db, first, outcome="crawled", next_crawl_at=T0)
    assert await queue.complete(db, again, outcome="crawled", next_crawl_at=T0 + timedelta(7))
    doc = await db.crawl_jobs.find_one({"_id": "https://a.org/"})
    assert doc["state"] == "scheduled" and doc["done_count"] == 1


async def test_failures_back_off_then_go_to_the_dead_letter_state(context):
    db = context.db
    url = "https://a.org/flaky"
    await queue.enqueue(db, url, now=T0)
    now = T0
    for attempt in range(1, MAX_ATTEMPTS + 1):
        job = await queue.lease(db, "w", lease_seconds=60, now=now)
        assert job is not None and job.attempts == attempt
        state = await queue.fail(
            db, job, error=f"timeout #{attempt}", retry_at=now + timedelta(minutes=attempt)
        )
        assert await queue.lease(db, "w", lease_seconds=60, now=now) is None  # backing off
        now += timedelta(minutes=attempt, seconds=1)
    assert state == "dead"
    doc = await db.crawl_jobs.find_one({"_id": url})
    assert doc["state"] == "dead" and doc["last_error"] == f"timeout #{MAX_ATTEMPTS}"
    assert await queue.pending(db, [url]) == set()


async def test_a_permanent_failure_is_dead_at_once(context):
    db = context.db
    await queue.enqueue(db, "https://a.org/refused", now=T0)
    job = await queue.lease(db, "w", lease_seconds=60, now=T0)
    assert await queue.fail(db, job, error="address_refused: ...", retry_at=None) == "dead"


async def test_recrawls_are_scheduled_and_due_ones_are_leased(context):
    db = context.db
    url = "https://a.org/page"
    await queue.enqueue(db, url, now=T0)
    job = await queue.lease(db, "w", lease_seconds=60, now=T0)
    week = T0 + timedelta(days=7)
    await queue.complete(db, job, outcome="crawled", next_crawl_at=week, now=T0)
    assert await queue.pending(db, [url]) == set()
    # Asked again within the hour: the recent crawl stands.
    await queue.enqueue(db, url, now=T0 + timedelta(minutes=10))
    assert await queue.pending(db, [url]) == set()
    # Asked again later: queued again, now.
    await queue.enqueue(db, url, priority=queue.PRIORITY_FLATTR, now=T0 + timedelta(hours=2))
    assert await queue.pending(db, [url]) == {url}
    job = await queue.lease(db, "w", lease_seconds=60, now=T0 + timedelta(hours=2))
    await queue.complete(
        db, job, outcome="crawled", next_crawl_at=week, now=T0 + timedelta(hours=2)
    )
    assert await queue.lease(db, "w", lease_seconds=60, now=week - timedelta(seconds=1)) is None
    due = await queue.lease(db, "w", lease_seconds=60, now=week)
    assert due.url == url and due.priority == queue.PRIORITY_RECRAWL


async def test_deferring_does_not_count_a_try(context):
    db = context.db
    await queue.enqueue(db, "https://a.org/", now=T0)
    job = await queue.lease(db, "w", lease_seconds=60, now=T0)
    await queue.defer(db, job, until=T0 + timedelta(seconds=5), note="site busy")
    assert await queue.lease(db, "w", lease_seconds=60, now=T0) is None
    again = await queue.lease(db, "w", lease_seconds=60, now=T0 + timedelta(seconds=5))
    assert again.attempts == 1


async def test_batch_leases_take_one_job_per_site_and_skip_busy_sites(context):
    db = context.db
    for i in range(3):
        await queue.enqueue(db, f"https://a.example.org/{i}", now=T0)
        await queue.enqueue(db, f"https://b.example.net/{i}", now=T0)
    await queue.enqueue(db, "https://busy.example.com/", priority=queue.PRIORITY_FLATTR, now=T0)
    jobs = await queue.lease_many(
        db, "w", limit=10, lease_seconds=60, now=T0, skip_sites=["example.com"]
    )
    assert sorted(job.url.split("/")[2] for job in jobs) == ["a.example.org", "b.example.net"]
    more = await queue.lease_many(db, "w2", limit=10, lease_seconds=60, now=T0)
    assert {job.url for job in more} & {job.url for job in jobs} == set()
    assert "https://busy.example.com/" in {job.url for job in more}
