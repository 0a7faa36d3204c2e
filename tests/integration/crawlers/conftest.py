"""A fixture web (one local server playing many sites) and a Context that crawls it."""

from __future__ import annotations

import dataclasses

import pytest
from aiohttp import web

from crawlers.fetch import close_guarded_client
from registry_service.clock import Clock
from registry_service.context import Context
from registry_service.store.database import open_client
from registry_service.store.schema import ensure_indexes
from tests.support.sites import SiteServer, text_response
from tests.unit.crawlers import pages

SERVICE_URL = "https://omniflattr.example.net"


async def _etag_home(request: web.Request) -> web.Response:
    if request.headers.get("If-None-Match") == '"v1"':
        return web.Response(status=304)
    return web.Response(text=pages.HOME_PAGE, content_type="text/html", headers={"ETag": '"v1"'})


def install_fixture_web(server: SiteServer) -> None:
    blog = "blog.example.org"
    server.page(blog, "/", pages.HOME_PAGE)
    server.page(blog, "/posts/hello", pages.blog_post(SERVICE_URL))
    server.add(blog, "/feed.xml", text_response(pages.BLOG_FEED, "application/rss+xml"))
    server.add(blog, "/funding.json", text_response(pages.FUNDING_JSON, "application/json"))
    server.add(blog, "/robots.txt", text_response("User-agent: *\nDisallow: /private/\n"))
    server.page(blog, "/private/diary", pages.HOME_PAGE)
    yt = "www.youtube.com"
    server.page(yt, "/watch?v=dQw4w9WgXcQ", pages.YOUTUBE_WATCH)
    server.page(yt, "/@RickAstleyYT", pages.YOUTUBE_HANDLE)
    server.page("vimeo.com", "/22439234", pages.VIMEO_VIDEO)
    server.page("www.twitch.tv", "/videos/1234567890", pages.TWITCH_VIDEO)
    social = "social.example.net"
    server.page(social, "/@alice", pages.MASTODON_PROFILE)
    server.add(
        social, "/.well-known/nodeinfo", text_response(pages.NODEINFO_LINKS, "application/json")
    )
    server.add(social, "/nodeinfo/2.0", text_response(pages.NODEINFO_DOC, "application/json"))
    server.add("etag.example.org", "/", _etag_home)
    # No funding.json at the root; the well-known listing names where the manifest is.
    fund = "listed.example.org"
    server.page(fund, "/", pages.HOME_PAGE)
    server.add(
        fund,
        "/.well-known/funding-manifest-urls",
        text_response("# our manifests\nhttps://listed.example.org/about/funding.json\n"),
    )
    server.add(fund, "/about/funding.json", text_response(pages.FUNDING_JSON, "application/json"))
    server.page("github.com", "/octo/widget", pages.GITHUB_REPO)
    server.add(
        "raw.githubusercontent.com",
        "/octo/widget/HEAD/.github/FUNDING.yml",
        text_response(pages.FUNDING_YML),
    )


@pytest.fixture(scope="session")
async def fixture_web():
    server = SiteServer()
    install_fixture_web(server)
    await server.start()
    yield server
    await server.stop()


def crawl_settings(settings, server: SiteServer, **overrides):
    return dataclasses.replace(
        settings, crawl_host_map=server.host_map(), public_url=SERVICE_URL, **overrides
    )


@pytest.fixture
async def crawl_context(settings, fixture_web):
    """A Context whose guarded client reaches the fixture web (host map), fresh database."""
    test_settings = crawl_settings(settings, fixture_web)
    client = open_client(test_settings.mongodb_uri)
    context = Context(test_settings, Clock(), client, client[test_settings.db_name])
    await ensure_indexes(context.db)
    yield context
    await close_guarded_client(context)
    await client.drop_database(test_settings.db_name)
    await client.close()
