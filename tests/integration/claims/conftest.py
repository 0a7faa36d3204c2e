"""Real parts for claims tests: Knot DNS on loopback, and local web sites (home pages,
verification files, saved profile pages) reached through the crawl host map."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web

from crawlers.fetch import close_guarded_client
from registry_service.api.state import CONTEXT
from tests.support.dns import DnsServer, dns_server  # noqa: F401 - the session fixture

PROFILES = Path(__file__).parent / "profiles"
PUBLIC_URL = "https://omniflattr.test"
ADMIN_EMAIL = "claims-admin@example.org"

# Every host a test may serve a page for (the host map has exact names).
SITE_HOSTS = (
    "example.org",
    "www.example.org",
    "blog.example.org",
    "example.net",
    "www.example.net",
    "shop.example.com.au",
    "someapp.herokuapp.com",
    "github.com",
    "raw.githubusercontent.com",
    "gist.github.com",
    "gitlab.com",
    "codeberg.org",
    "mastodon.social",
    "www.youtube.com",
    "www.twitch.tv",
    "public.api.bsky.app",
    "medium.com",
    "www.reddit.com",
    "dev.to",
    "alice.wordpress.com",
)


@dataclass
class Page:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)


class Sites:
    """A local web server answering for many host names: set pages by host and path."""

    def __init__(self) -> None:
        self.pages: dict[tuple[str, str], Page] = {}
        self.requests: list[tuple[str, str]] = []
        self.port = 0

    def page(
        self,
        host: str,
        path: str,
        body: str | bytes,
        *,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        headers: dict | None = None,
    ) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.pages[(host, path)] = Page(status, data, content_type, dict(headers or {}))

    def redirect(self, host: str, path: str, location: str, status: int = 301) -> None:
        self.page(host, path, b"", status=status, headers={"Location": location})

    def remove(self, host: str, path: str) -> None:
        self.pages.pop((host, path), None)

    def clear(self) -> None:
        self.pages.clear()
        self.requests.clear()

    async def handle(self, request: web.Request) -> web.Response:
        host = (request.host or "").split(":")[0].lower()
        self.requests.append((host, request.path_qs))
        page = self.pages.get((host, request.path_qs))
        if page is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(
            status=page.status,
            body=page.body,
            headers={"Content-Type": page.content_type, **page.headers},
        )


@pytest.fixture(scope="session")
async def site_server():
    sites = Sites()
    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", sites.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    sites.port = runner.addresses[0][1]
    yield sites
    await runner.cleanup()


@pytest.fixture
def sites(site_server) -> Sites:
    site_server.clear()
    yield site_server
    site_server.clear()


class Zone:
    """DNS records for one test, removed afterwards (the server lives for the session)."""

    def __init__(self, server: DnsServer) -> None:
        self.server = server
        self.names: set[str] = set()

    def txt(self, name: str, *values: str) -> None:
        self.names.add(name)
        self.server.set_txt(name, *values)

    def cname(self, name: str, target: str) -> None:
        self.names.add(name)
        self.server.set_cname(name, target)

    def remove(self, name: str) -> None:
        self.server.remove(name)

    def cleanup(self) -> None:
        for name in self.names:
            self.server.remove(name)


@pytest.fixture
def zone(dns_server):  # noqa: F811
    z = Zone(dns_server)
    yield z
    z.cleanup()


@pytest.fixture
def settings(settings, dns_server, site_server):  # noqa: F811
    host_map = {host: ("127.0.0.1", site_server.port) for host in SITE_HOSTS}
    return dataclasses.replace(
        settings,
        dns_nameservers=dns_server.nameservers,
        crawl_host_map=host_map,
        public_url=PUBLIC_URL,
        admin_emails=frozenset({ADMIN_EMAIL}),
    )


@pytest.fixture
async def context(context):
    yield context
    await close_guarded_client(context)


@pytest.fixture
async def api(context, api):
    """The whole application, on the database of `context` (created with its indexes
    first, and dropped after the test)."""
    return api


def app_context(api):
    return api.app[CONTEXT]


def profile(name: str, **values: str) -> str:
    """A saved profile page with its {PLACEHOLDERS} filled (JSON-escaped for .json files)."""
    text = (PROFILES / name).read_text()
    for placeholder in ("PROOF", "OTHER", "README", "WEBSITE", "FIELD"):
        value = values.get(placeholder.lower(), "")
        if name.endswith(".json"):
            value = json.dumps(value)[1:-1]
        text = text.replace("{" + placeholder + "}", value)
    return text


async def claim(api, account: dict, key: str) -> dict:
    resp = await api.post("/api/v1/claims", json={"key": key}, headers=account["headers"])
    assert resp.status in (200, 201), await resp.text()
    return (await resp.json())["claim"]


async def verify(api, account: dict, claim_id: str, **body) -> tuple[int, dict]:
    resp = await api.post(
        f"/api/v1/claims/{claim_id}/verify", json=body or None, headers=account["headers"]
    )
    return resp.status, await resp.json()


def at(api, when) -> None:
    """Fix the application's clock."""
    app_context(api).clock.fixed = when
