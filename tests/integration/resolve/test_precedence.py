"""Precedence with real documents in the database (claims, delegations, crawled signals)."""

import pytest

from crawlers import queue
from registry_service.resolve import InvalidUrl, announce_change
from registry_service.resolve.resolver import Resolver
from tests.integration.resolve.helpers import account, crawled, delegate, own

CHANNEL = "UCuAXFkgsw1L7xaCfnd5JJOw"


@pytest.fixture
def resolver(context):
    return Resolver(context, cache=False)


async def test_unclaimed_domain_then_claimed_then_declined(context, resolver):
    url = "https://blog.example.org/post?utm_source=x"
    first = await resolver.resolve(url, crawl=False)
    assert (first.key, first.source, first.claimed, first.creator) == (
        "domain:example.org",
        "domain",
        False,
        None,
    )
    assert first.url == url and first.normalized == "https://blog.example.org/post"
    alice = await account(context.db, "alice", "Alice A.")
    await own(context.db, "domain:example.org", alice)
    claimed = await resolver.resolve(url, crawl=False)
    assert claimed.claimed and not claimed.declined
    assert claimed.creator == {"handle": "alice", "display_name": "Alice A."}
    await own(context.db, "domain:example.org", alice, declined=True)
    declined = await resolver.resolve(url, crawl=False)
    assert declined.claimed and declined.declined


async def test_the_page_says_so_first_and_coauthors_share(context, resolver):
    url = "https://news.example.org/story"
    bob = await account(context.db, "bob")
    await own(context.db, "domain:example.org", bob)
    await own(context.db, "domain:news.example.org", bob)
    await crawled(context.db, url, creators=["carol", "github:Dan", "omniflattr:carol"])
    await account(context.db, "carol", "Carol")
    found = await resolver.resolve(url, crawl=False)
    assert found.source == "meta"
    assert found.keys == ("omniflattr:carol", "github:dan")
    assert found.key == "omniflattr:carol"
    assert found.claimed and found.creator == {"handle": "carol", "display_name": "Carol"}


async def test_a_delegation_holds_only_while_its_claim_owns_the_domain(context, resolver):
    db = context.db
    owner = await account(db, "owner")
    claim = await own(db, "domain:example.org", owner)
    await account(db, "bob", "Bob")
    await delegate(db, "domain:example.org", claim, "example.org", "/authors/", "omniflattr:ed")
    await delegate(
        db, "domain:example.org", claim, "example.org", "/authors/bob/", "omniflattr:bob"
    )
    await delegate(
        db, "domain:example.org", claim, "example.org", "/old/", "omniflattr:x", revoked=True
    )
    bob = await resolver.resolve("https://www.example.org/authors/bob/post-1", crawl=False)
    assert (bob.key, bob.source, bob.claimed) == ("omniflattr:bob", "path", True)
    assert bob.creator == {"handle": "bob", "display_name": "Bob"}
    editor = await resolver.resolve("https://example.org/authors/bobby", crawl=False)
    assert editor.key == "omniflattr:ed"
    revoked = await resolver.resolve("https://example.org/old/page", crawl=False)
    assert revoked.source == "domain"
    # the domain changed hands: the old owner's delegations no longer count
    await own(db, "domain:example.org", await account(db, "newowner"))
    after = await resolver.resolve("https://example.org/authors/bob/post-1", crawl=False)
    assert (after.key, after.source) == ("domain:example.org", "domain")


async def test_platform_keys_aliases_and_crawled_channels(context, resolver):
    db = context.db
    handle = await resolver.resolve("https://www.youtube.com/@Alice/videos", crawl=False)
    assert (handle.key, handle.source) == ("youtube:@alice", "platform")
    await db.key_aliases.insert_one({"_id": "youtube:@alice", "key": f"youtube:{CHANNEL}"})
    aliased = await resolver.resolve("https://www.youtube.com/@Alice/videos", crawl=False)
    assert aliased.key == f"youtube:{CHANNEL}"
    video = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    before = await resolver.resolve(video, crawl=False)
    assert (before.key, before.source) == ("domain:youtube.com", "domain")
    await crawled(db, video, platform_key=f"youtube:{CHANNEL}")
    creator = await account(db, "alice")
    await own(db, f"youtube:{CHANNEL}", creator)
    after = await resolver.resolve(video, crawl=False)
    assert (after.key, after.source, after.claimed) == (f"youtube:{CHANNEL}", "platform", True)


async def test_the_most_specific_verified_subdomain(context, resolver):
    db = context.db
    someone = await account(db, "someone")
    await own(db, "domain:blog.example.org", someone)
    await own(db, "domain:eu.blog.example.org", someone)
    deep = await resolver.resolve("https://x.eu.blog.example.org/post", crawl=False)
    assert (deep.key, deep.source) == ("domain:eu.blog.example.org", "subdomain")
    blog = await resolver.resolve("https://www.blog.example.org/", crawl=False)
    assert blog.key == "domain:blog.example.org"
    other = await resolver.resolve("https://shop.example.org/", crawl=False)
    assert (other.key, other.source) == ("domain:example.org", "domain")
    # a platform key still comes before a verified subdomain of the platform
    await own(db, "domain:gist.github.com", someone)
    gist = await resolver.resolve("https://gist.github.com/alice/123", crawl=False)
    assert gist.key == "github:alice"


async def test_fediverse_hosts_written_by_the_crawler(context, resolver):
    url = "https://social.example.net/@Dave/1234"
    assert (await resolver.resolve(url, crawl=False)).key == "domain:example.net"
    await context.db.fediverse_hosts.insert_one({"_id": "social.example.net", "software": "x"})
    await announce_change(context.db, "test: a fediverse host answered NodeInfo")
    found = await resolver.resolve(url, crawl=False)
    assert (found.key, found.source) == ("mastodon:dave@social.example.net", "platform")


async def test_crawls_are_queued_when_they_could_change_the_answer(context, resolver):
    db = context.db
    url = "https://example.org/new-page"
    quiet = await resolver.resolve(url, crawl=False)
    assert not quiet.pending and await db.crawl_jobs.count_documents({}) == 0
    queued = await resolver.resolve(url, crawl=True)
    assert queued.pending
    job = await db.crawl_jobs.find_one({"_id": "https://example.org/new-page"})
    assert job["priority"] == queue.PRIORITY_RESOLVE
    # a flattr raises the priority of the queued crawl
    await resolver.resolve(url, crawl=True, priority=queue.PRIORITY_FLATTR)
    job = await db.crawl_jobs.find_one({"_id": "https://example.org/new-page"})
    assert job["priority"] == queue.PRIORITY_FLATTR
    # without crawling, `pending` still reports the queued crawl
    assert (await resolver.resolve(url, crawl=False)).pending
    # fresh signals: nothing to do; stale ones: crawled again
    await crawled(db, "https://example.org/fresh", age_days=2)
    fresh = await resolver.resolve("https://example.org/fresh", crawl=True)
    assert not fresh.pending
    await crawled(db, "https://example.org/stale", age_days=45)
    stale = await resolver.resolve("https://example.org/stale", crawl=True)
    assert stale.pending
    # a platform's own pages and plain platform keys never need one
    for page in ("https://github.com/features", "https://github.com/alice/repo"):
        assert not (await resolver.resolve(page, crawl=True)).pending
    assert await db.crawl_jobs.count_documents({}) == 2


async def test_resolve_many_keeps_order_and_reports_invalid_urls(context, resolver):
    results = await resolver.resolve_many(
        [
            "https://a.example.org/",
            "ftp://x.org/",
            "https://github.com/bob",
            "https://a.example.org/",
        ]
    )
    assert [type(r).__name__ for r in results] == [
        "Resolution",
        "InvalidUrl",
        "Resolution",
        "Resolution",
    ]
    assert results[2].key == "github:bob" and results[3].key == "domain:example.org"
    with pytest.raises(InvalidUrl, match="IP addresses"):
        await resolver.resolve("http://10.0.0.1/")
