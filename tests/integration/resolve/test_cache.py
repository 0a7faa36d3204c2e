"""The resolver cache: used, and dropped when a change is announced here or in another process."""

import asyncio
import time

from registry_service.resolve import announce_change
from registry_service.resolve.changes import COLLECTION, RESOLVE_VERSION_ID
from registry_service.resolve.resolver import Resolver
from tests.integration.resolve.helpers import account, crawled, own

URL = "https://blog.example.org/post"


async def announce_from_another_process(db):
    """What `announce_change` in another process does: only the database document moves."""
    await db[COLLECTION].update_one(
        {"_id": RESOLVE_VERSION_ID}, {"$inc": {"version": 1}}, upsert=True
    )


async def eventually(predicate, within=3.0):
    deadline = time.monotonic() + within
    while True:
        if await predicate():
            return time.monotonic()
        assert time.monotonic() < deadline, "the change was not seen in time"
        await asyncio.sleep(0.02)


async def test_answers_come_from_the_cache_until_a_change_is_announced(context):
    resolver = Resolver(context, poll_interval=0.2)
    assert not (await resolver.resolve(URL, crawl=False)).claimed
    await own(context.db, "domain:example.org", await account(context.db, "alice"))
    # not announced: the cached answer stands (the cache is really used)
    assert not (await resolver.resolve(URL, crawl=False)).claimed
    assert resolver.cache.hits == 1
    await announce_change(context.db, "test: claim verified")
    # announced in this process: seen at once, no waiting for the poll
    assert (await resolver.resolve(URL, crawl=False)).claimed


async def test_another_processs_change_reaches_every_resolver_within_the_poll(context):
    """Two resolvers on one database stand for two service processes."""
    first = Resolver(context, poll_interval=0.2)
    second = Resolver(context, poll_interval=0.2)
    stop = asyncio.Event()
    watching = asyncio.create_task(second.watch(stop))  # the service's background task
    try:
        for resolver in (first, second):
            assert (await resolver.resolve(URL, crawl=False)).key == "domain:example.org"
        await crawled(context.db, URL, creators=["omniflattr:bob"])
        changed_at = time.monotonic()
        await announce_from_another_process(context.db)

        async def sees(resolver):
            return (await resolver.resolve(URL, crawl=False)).key == "omniflattr:bob"

        # the lazily checking one and the watching one both see it within the bound
        for resolver in (first, second):
            seen_at = await eventually(lambda r=resolver: sees(r))
            assert seen_at - changed_at < 1.0
    finally:
        stop.set()
        await asyncio.wait_for(watching, 5)


async def test_a_computation_overtaken_by_a_change_is_not_cached(context, monkeypatch):
    resolver = Resolver(context, poll_interval=10)
    await resolver.resolve("https://warm.example.org/", crawl=False)
    assert len(resolver.cache) == 1

    async def signals_while_a_change_lands(db, urls):
        resolver.cache.clear()  # what the watcher does when a change is announced meanwhile
        return {}

    monkeypatch.setattr("registry_service.resolve.store.signals_of", signals_while_a_change_lands)
    await resolver.resolve(URL, crawl=False)
    assert resolver.cache.get("https://blog.example.org/post") is None
    monkeypatch.undo()
    await resolver.resolve(URL, crawl=False)
    assert resolver.cache.get("https://blog.example.org/post") is not None


async def test_the_cache_survives_a_database_outage_of_the_version_read(context, monkeypatch):
    resolver = Resolver(context, poll_interval=0.0)
    await resolver.resolve(URL, crawl=False)

    async def away(db):
        from pymongo.errors import ServerSelectionTimeoutError

        raise ServerSelectionTimeoutError("down")

    monkeypatch.setattr("registry_service.resolve.cache.current_version", away)
    assert (await resolver.resolve(URL, crawl=False)).key == "domain:example.org"
    assert resolver.cache.hits >= 1


async def test_pending_answers_are_looked_at_again_soon(context):
    resolver = Resolver(context, poll_interval=10)
    first = await resolver.resolve("https://example.org/uncrawled", crawl=True)
    assert first.pending
    entry = resolver.cache.get("https://example.org/uncrawled")
    assert entry is not None and entry.expires_at - time.monotonic() <= 5.0


async def test_a_database_that_stops_answering_never_stalls_cached_answers(context, monkeypatch):
    monkeypatch.setattr("registry_service.resolve.cache.VERSION_READ_TIMEOUT", 0.3)
    resolver = Resolver(context, poll_interval=0.0)
    await resolver.resolve(URL, crawl=False)
    admin = context.client.admin
    await admin.command(
        "configureFailPoint",
        "failCommand",
        mode={"times": 1},
        data={"failCommands": ["aggregate"], "blockConnection": True, "blockTimeMS": 3000},
    )
    try:
        started = time.monotonic()
        found = await resolver.resolve(URL, crawl=False)
        assert found.key == "domain:example.org"
        assert time.monotonic() - started < 2.5  # the blocked version read was given up
    finally:
        await admin.command("configureFailPoint", "failCommand", mode="off")
