"""Workers in-process over the fixture web: jobs done, sites that push back, clean stops."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import web

from crawlers import pipeline, queue
from crawlers.worker import Worker, WorkerOptions
from tests.support.sites import SiteServer, html_response, status_response
from tests.unit.crawlers import pages


async def slow_page(request: web.Request) -> web.Response:
    await asyncio.sleep(float(request.query.get("s", "1.5")))
    return web.Response(text=pages.HOME_PAGE, content_type="text/html")


@pytest.fixture(scope="module")
async def web_of_sites():
    server = SiteServer()
    for i in range(6):
        server.add(f"site{i}.example.org", "/", html_response(pages.HOME_PAGE))
    server.add("busy.example.com", "/", status_response(429, **{"Retry-After": "120"}))
    server.add("down.example.com", "/", status_response(500))
    server.add("slow.example.net", "/", slow_page)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def worker_context(crawl_context, web_of_sites):
    crawl_context.settings.crawl_host_map.update(web_of_sites.host_map())
    crawl_context.services.pop("guarded_client", None)
    return crawl_context


async def eventually(check, limit: float = 10.0) -> None:
    """Poll the database until `check()` holds (a worker's effect is only visible there)."""
    async with asyncio.timeout(limit):
        while not await check():  # noqa: ASYNC110 - polling another process's writes
            await asyncio.sleep(0.03)


async def run_until(worker: Worker, done) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    try:
        await eventually(done)
    finally:
        stop.set()
        await task


def state_is(context, url: str, state: str):
    async def check() -> bool:
        return (await job(context, url))["state"] == state

    return check


async def job(context, url: str) -> dict:
    return await context.db.crawl_jobs.find_one({"_id": url})


async def test_a_worker_crawls_every_queued_job_once(worker_context, web_of_sites):
    db = worker_context.db
    urls = [f"https://site{i}.example.org/" for i in range(6)]
    for url in urls:
        await queue.enqueue(db, url)
    worker = Worker(worker_context, WorkerOptions(concurrency=3, site_interval=0, idle_poll=0.05))

    async def all_done() -> bool:
        return await db.crawl_jobs.count_documents({"state": "scheduled"}) == len(urls)

    await run_until(worker, all_done)
    for url in urls:
        doc = await job(worker_context, url)
        assert doc["done_count"] == 1 and doc["last_outcome"] == "crawled"
        assert doc["not_before"] > datetime.now(UTC) + timedelta(hours=23)  # re-crawl planned
        signals = await db.page_signals.find_one({"_id": url})
        assert signals["creators"] == ["omniflattr:alice"]
    assert worker.stats.outcomes["crawled"] == 6


async def test_429_with_retry_after_backs_off_the_whole_site(worker_context):
    db = worker_context.db
    url = "https://busy.example.com/"
    await queue.enqueue(db, url)
    worker = Worker(worker_context, WorkerOptions(site_interval=0, idle_poll=0.05))

    async def deferred() -> bool:
        doc = await job(worker_context, url)
        return doc["state"] == "queued" and doc.get("deferred", "").endswith("429")

    await run_until(worker, deferred)
    doc = await job(worker_context, url)
    now = datetime.now(UTC)
    assert now + timedelta(seconds=100) < doc["not_before"] <= now + timedelta(seconds=120)
    assert doc["attempts"] == 0  # a site asking to wait is not a failed try
    site = await db.crawl_sites.find_one({"_id": "example.com"})
    assert site["next_at"] > now + timedelta(seconds=100)


async def test_server_errors_are_retried_later_with_backoff(worker_context):
    db = worker_context.db
    url = "https://down.example.com/"
    await queue.enqueue(db, url)
    worker = Worker(worker_context, WorkerOptions(site_interval=0, idle_poll=0.05))

    async def retrying() -> bool:
        return (await job(worker_context, url)).get("last_error") is not None

    await run_until(worker, retrying)
    doc = await job(worker_context, url)
    assert doc["state"] == "queued" and "HTTP 500" in doc["last_error"]
    assert doc["not_before"] > datetime.now(UTC) + timedelta(seconds=40)


async def test_a_stopping_worker_gives_its_running_job_back(worker_context):
    db = worker_context.db
    url = "https://slow.example.net/"
    await queue.enqueue(db, url)
    options = WorkerOptions(site_interval=0, idle_poll=0.05, shutdown_grace=0.2)
    worker = Worker(worker_context, options)
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    await eventually(state_is(worker_context, url, "leased"))
    stop.set()
    await asyncio.wait_for(task, 5)
    doc = await job(worker_context, url)
    assert doc["state"] == "queued" and doc["attempts"] == 0
    assert doc["not_before"] <= datetime.now(UTC)


async def test_a_long_job_keeps_its_lease(worker_context):
    db = worker_context.db
    url = "https://slow.example.net/"
    await queue.enqueue(db, url)
    options = WorkerOptions(site_interval=0, idle_poll=0.05, lease_seconds=0.5)
    worker = Worker(worker_context, options, worker_id="holder")
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    await eventually(state_is(worker_context, url, "leased"))
    await asyncio.sleep(1.0)  # twice the lease: only the heartbeat keeps it
    assert await queue.lease(db, "thief", lease_seconds=5) is None
    await eventually(state_is(worker_context, url, "scheduled"))
    stop.set()
    await task
    assert (await job(worker_context, url))["done_count"] == 1


async def test_site_politeness_spaces_requests_to_one_site(worker_context, web_of_sites):
    db = worker_context.db
    # Three pages of one site (example.org) and a worker with three slots.
    server = web_of_sites
    urls = [f"https://site{i}.example.org/" for i in range(3)]
    for url in urls:
        await queue.enqueue(db, url)
    worker = Worker(worker_context, WorkerOptions(concurrency=3, site_interval=0.3, idle_poll=0.02))
    before = len(server.requests)

    async def all_done() -> bool:
        return await db.crawl_jobs.count_documents({"state": "scheduled"}) == len(urls)

    started = asyncio.get_running_loop().time()
    await run_until(worker, all_done)
    elapsed = asyncio.get_running_loop().time() - started
    assert elapsed >= 0.6  # three requests, 0.3 s apart at least
    assert len([r for r in server.requests[before:] if r[1] == "/"]) == 3


async def test_a_crash_while_storing_retries_that_job_and_frees_its_room(
    worker_context, monkeypatch
):
    """Storing runs beside the slot; a crash there fails only that job (retried later), and
    the one storing room of a one-slot worker is given back, so the other jobs go on."""
    db = worker_context.db
    urls = [f"https://site{i}.example.org/" for i in range(3)]
    for url in urls:
        await queue.enqueue(db, url)
    store_page = pipeline.store_page

    async def store_or_crash(context, read):
        if read.url == urls[0]:
            raise RuntimeError("disk on fire")
        return await store_page(context, read)

    monkeypatch.setattr(pipeline, "store_page", store_or_crash)
    worker = Worker(worker_context, WorkerOptions(concurrency=1, site_interval=0, idle_poll=0.02))

    async def settled() -> bool:
        crashed = await job(worker_context, urls[0])
        done = await db.crawl_jobs.count_documents({"_id": {"$in": urls[1:]}, "state": "scheduled"})
        return done == 2 and "disk on fire" in (crashed.get("last_error") or "")

    await run_until(worker, settled)
    crashed = await job(worker_context, urls[0])
    assert crashed["state"] == "queued" and crashed["last_error"].startswith("internal error")
    assert crashed["not_before"] > datetime.now(UTC)
    assert await db.page_signals.find_one({"_id": urls[0]}) is None
    assert worker.stats.outcomes["crawled"] == 2


async def test_a_stopping_worker_stores_the_pages_it_has_read(worker_context, monkeypatch):
    """Stop is set while a read page waits to be stored: it is stored and its job completed."""
    db = worker_context.db
    url = "https://site4.example.org/"
    await queue.enqueue(db, url)
    stop = asyncio.Event()
    store_page = pipeline.store_page

    async def stop_then_store(context, read):
        stop.set()
        await asyncio.sleep(0.1)  # the slots see the stop meanwhile
        return await store_page(context, read)

    monkeypatch.setattr(pipeline, "store_page", stop_then_store)
    worker = Worker(worker_context, WorkerOptions(concurrency=2, site_interval=0, idle_poll=0.02))
    await asyncio.wait_for(worker.run(stop), 10)
    doc = await job(worker_context, url)
    assert doc["state"] == "scheduled" and doc["done_count"] == 1
    assert (await db.page_signals.find_one({"_id": url}))["creators"] == ["omniflattr:alice"]


async def test_a_recrawl_sends_the_jobs_validators_and_refetches_when_the_record_is_gone(
    worker_context, fixture_web
):
    db, url = worker_context.db, "https://etag.example.org/"  # 304 to If-None-Match: "v1"
    worker = Worker(worker_context, WorkerOptions(concurrency=2, site_interval=0, idle_poll=0.05))

    def done_times(n: int):
        async def check() -> bool:
            return (await job(worker_context, url)).get("done_count", 0) == n

        return check

    async def due_again() -> None:
        await db.crawl_jobs.update_one({"_id": url}, {"$set": {"not_before": datetime.now(UTC)}})
        await db.crawl_sites.delete_many({})  # the politeness clock

    def sent() -> list[dict]:
        return [
            h
            for host, path, h in fixture_web.requests
            if host == "etag.example.org" and path == "/"
        ]

    await queue.enqueue(db, url)
    await run_until(worker, done_times(1))
    first = await job(worker_context, url)
    assert first["last_outcome"] == "crawled"
    assert first["validators"] == {"If-None-Match": '"v1"'}

    await due_again()
    before = len(sent())
    await run_until(worker, done_times(2))
    assert (await job(worker_context, url))["last_outcome"] == "unchanged"
    assert [h.get("If-None-Match") for h in sent()[before:]] == ['"v1"']

    # The stored record is gone: a 304 tells nothing to store, so the page is asked again.
    await db.page_signals.delete_one({"_id": url})
    await due_again()
    before = len(sent())
    await run_until(worker, done_times(3))
    assert (await job(worker_context, url))["last_outcome"] == "crawled"
    assert [h.get("If-None-Match") for h in sent()[before:]] == ['"v1"', None]
    assert (await db.page_signals.find_one({"_id": url}))["creators"] == ["omniflattr:alice"]

    # A later crawl outside the queue stored something else (the page answered 404 then):
    # a 304 to the job's older validators does not vouch for that record.
    await db.page_signals.update_one(
        {"_id": url}, {"$set": {"status": 404, "creators": [], "etag": None}}
    )
    await due_again()
    before = len(sent())
    await run_until(worker, done_times(4))
    assert [h.get("If-None-Match") for h in sent()[before:]] == ['"v1"', None]
    stored = await db.page_signals.find_one({"_id": url})
    assert stored["status"] == 200 and stored["creators"] == ["omniflattr:alice"]
