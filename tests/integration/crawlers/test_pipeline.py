"""Crawling the fixture web through the production client and pipeline, then the store."""

from __future__ import annotations

import asyncio
import contextlib

from aiohttp import web

from crawlers import queue
from crawlers.pipeline import crawl_now
from registry_service.resolve.changes import current_version
from tests.unit.crawlers import pages


async def test_blog_post_signals_are_read_from_the_head_only(crawl_context):
    signals = await crawl_now(crawl_context, "https://blog.example.org/posts/hello")
    assert signals["status"] == 200
    assert signals["final_url"] == "https://blog.example.org/posts/hello"
    # Co-authors from this service's tags; the legacy flattr id is kept as a hint only;
    # the commenter's tags in the body count for nothing.
    assert signals["creators"] == ["omniflattr:alice", "omniflattr:bob"]
    assert "omniflattr:mallory" not in str(signals)
    assert "evil.example.com" not in str(signals)
    assert signals["hints"]["legacy_creators"] == ["flattr:alice_old"]
    assert signals["identities"] == [
        "https://social.example.net/@alice",
        "https://github.com/alice",
    ]
    hints = signals["hints"]
    assert hints["author_name"] == ["Alice Liddell"]
    assert hints["twitter_creator"] == ["@alice"]
    assert {"name": "Alice Liddell", "url": None} in hints["feed_authors"]
    kinds = {(a["kind"], a["url"]) for a in signals["also_accepts"]}
    assert ("web_monetization", "https://wallet.example.com/alice") in kinds
    assert ("podcast_funding", "https://liberapay.com/alice") in kinds
    assert ("funding_json", "https://blog.example.org/funding.json") in kinds
    stored = await crawl_context.db.page_signals.find_one({"_id": signals["_id"]})
    assert stored["creators"] == signals["creators"]
    assert stored["fetched_at"] is not None


async def test_a_crawl_that_changes_signals_is_announced_and_a_304_is_not(
    crawl_context, fixture_web
):
    url = "https://blog.example.org/"
    before = await current_version(crawl_context.db)
    first = await crawl_now(crawl_context, url)
    assert first["creators"] == ["omniflattr:alice"]
    after_first = await current_version(crawl_context.db)
    assert after_first > before

    url = "https://etag.example.org/"  # answers 304 to If-None-Match: "v1"
    first = await crawl_now(crawl_context, url)
    assert first["etag"] == '"v1"'
    await crawl_context.db.crawl_sites.delete_many({})  # the politeness clock
    version = await current_version(crawl_context.db)
    second = await crawl_now(crawl_context, url)
    assert second["creators"] == ["omniflattr:alice"]
    assert second["fetched_at"] >= first["fetched_at"]
    assert await current_version(crawl_context.db) == version  # nothing changed
    sent = [h for host, path, h in fixture_web.requests if host == "etag.example.org"]
    assert sent[-1].get("If-None-Match") == '"v1"'


async def test_youtube_video_and_handle_pages_give_the_channel_id(crawl_context):
    video = await crawl_now(crawl_context, "https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    assert video["platform_key"] == f"youtube:{pages.CHANNEL_ID}"
    await crawl_context.db.crawl_sites.delete_many({})
    handle = await crawl_now(crawl_context, "https://www.youtube.com/@RickAstleyYT")
    assert handle["platform_key"] == f"youtube:{pages.CHANNEL_ID}"
    alias = await crawl_context.db.key_aliases.find_one({"_id": "youtube:@rickastleyyt"})
    assert alias["key"] == f"youtube:{pages.CHANNEL_ID}"


async def test_vimeo_and_twitch_videos_give_their_owner(crawl_context):
    vimeo = await crawl_now(crawl_context, "https://vimeo.com/22439234")
    assert vimeo["platform_key"] == "vimeo:terjes"
    twitch = await crawl_now(crawl_context, "https://www.twitch.tv/videos/1234567890")
    assert twitch["platform_key"] == "twitch:shroud"


async def test_nodeinfo_host_makes_a_fediverse_account(crawl_context):
    profile = await crawl_now(crawl_context, "https://social.example.net/@alice")
    assert profile["platform_key"] == "mastodon:alice@social.example.net"
    assert profile["identities"] == ["https://blog.example.org/"]
    host = await crawl_context.db.fediverse_hosts.find_one({"_id": "social.example.net"})
    assert host["software"] == "mastodon"


async def test_github_repository_funding_yml(crawl_context):
    repo = await crawl_now(crawl_context, "https://github.com/octo/widget")
    urls = [a["url"] for a in repo["also_accepts"] if a["kind"] == "funding_yml"]
    assert urls == [
        "https://github.com/sponsors/octo",
        "https://github.com/sponsors/hubot",
        "https://www.patreon.com/octo",
        "https://opencollective.com/widget",
        "https://liberapay.com/octo",
        "https://paypal.me/octo",
        "https://octo.example.org/donate",
    ]


async def test_robots_txt_disallow_is_obeyed(crawl_context, fixture_web):
    hits = fixture_web.hits[("blog.example.org", "/private/diary")]
    signals = await crawl_now(crawl_context, "https://blog.example.org/private/diary")
    assert signals["error"]["code"] == "robots_disallowed"
    assert fixture_web.hits[("blog.example.org", "/private/diary")] == hits


async def test_crawl_now_satisfies_a_queued_job(crawl_context):
    url = "https://vimeo.com/22439234"
    await queue.enqueue(crawl_context.db, url, priority=queue.PRIORITY_FLATTR, reason="flattr")
    assert await queue.pending(crawl_context.db, [url]) == {url}
    await crawl_now(crawl_context, url)
    assert await queue.pending(crawl_context.db, [url]) == set()


async def test_crawl_now_gives_the_job_its_conditional_get_headers(crawl_context):
    url = "https://etag.example.org/"  # answers with ETag "v1"
    await queue.enqueue(crawl_context.db, url)
    await crawl_now(crawl_context, url)
    job = await crawl_context.db.crawl_jobs.find_one({"_id": url})
    assert job["validators"] == {"If-None-Match": '"v1"'}


async def test_funding_json_listed_in_the_well_known_file(crawl_context, fixture_web):
    signals = await crawl_now(crawl_context, "https://listed.example.org/")
    kinds = {(a["kind"], a["url"]) for a in signals["also_accepts"]}
    assert ("funding_json", "https://listed.example.org/about/funding.json") in kinds
    assert fixture_web.hits[("listed.example.org", "/funding.json")] == 1  # tried first


async def test_funding_json_at_the_root_wins_over_the_listing(crawl_context):
    signals = await crawl_now(crawl_context, "https://blog.example.org/")
    manifests = [a["url"] for a in signals["also_accepts"] if a["kind"] == "funding_json"]
    assert manifests == ["https://blog.example.org/funding.json"]


async def test_an_alias_learned_on_an_unchanged_page_is_announced(crawl_context):
    url = "https://www.youtube.com/@RickAstleyYT"
    await crawl_now(crawl_context, url)
    await crawl_context.db.key_aliases.delete_many({})
    await crawl_context.db.crawl_sites.delete_many({})  # the politeness clock
    version = await current_version(crawl_context.db)
    await crawl_now(crawl_context, url)  # the same signals, but the alias is new again
    assert await crawl_context.db.key_aliases.count_documents({}) == 1
    assert await current_version(crawl_context.db) == version + 1


async def test_a_new_sites_funding_is_fetched_while_its_first_page_is(crawl_context, fixture_web):
    """The site's extras that do not depend on the page start with the page's fetch: the
    page here answers only once funding.json was asked for (or after 3 s)."""
    host = "early.example.org"
    asked = asyncio.Event()
    asked_before_answer: list[bool] = []

    async def funding(request: web.Request) -> web.Response:
        asked.set()
        return web.Response(text=pages.FUNDING_JSON, content_type="application/json")

    async def page(request: web.Request) -> web.Response:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asked.wait(), 3)
        asked_before_answer.append(asked.is_set())
        return web.Response(text=pages.HOME_PAGE, content_type="text/html")

    fixture_web.add(host, "/funding.json", funding)
    fixture_web.add(host, "/", page)
    crawl_context.settings.crawl_host_map.update(fixture_web.host_map(host))
    signals = await asyncio.wait_for(crawl_now(crawl_context, f"https://{host}/"), 10)
    assert asked_before_answer == [True]
    kinds = {(a["kind"], a["url"]) for a in signals["also_accepts"]}
    assert ("funding_json", f"https://{host}/funding.json") in kinds
