"""Public pages, languages and friendly errors."""

from __future__ import annotations

import dataclasses
import html as html_lib
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import quote

import aiohttp
from aiohttp import web

from registry_service.app import create_app
from registry_service.web.routing import Page, WebRoutes
from tests.integration.web.conftest import Browser


async def test_home_in_english_and_french(browser):
    resp, html = await browser.get("/")
    assert resp.status == 200 and '<html lang="en">' in html
    assert "How it works" in html
    assert resp.headers["Content-Language"] == "en"
    resp, html = await browser.get("/", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"})
    assert '<html lang="fr">' in html and "Comment ça marche" in html
    resp, html = await browser.get("/", headers={"Accept-Language": "de, fr;q=0.1"})
    assert '<html lang="fr">' in html


async def test_language_switch_is_remembered_and_returns_to_the_page(browser):
    resp, _ = await browser.get("/lang/fr?next=/widget")
    assert resp.status == 303 and resp.headers["Location"] == "/widget"
    _, html = await browser.get("/widget", headers={"Accept-Language": "en"})
    assert '<html lang="fr">' in html and "Boutons pour votre site" in html
    resp, _ = await browser.get("/lang/fr?next=//evil.example")
    assert resp.headers["Location"] == "/"
    resp, html = await browser.get("/lang/de")
    assert resp.status == 404


async def test_layout_is_accessible(browser):
    _, html = await browser.get("/signin")
    assert html.index('class="skip-link" href="#main"') < html.index("<main")
    assert '<main id="main"' in html
    assert '<label for="f-email">' in html and 'id="f-email"' in html
    assert re.search(r"<title>Sign in · Omniflattr</title>", html)
    assert 'name="viewport"' in html


async def test_creator_page(browser, context):
    await browser.sign_up(email="alice@example.org", name="Alice Martin", handle="alice")
    account = await context.db.accounts.find_one({"handle": "alice"})
    now = datetime.now(UTC)
    await context.db.key_owners.insert_many(
        [
            {"_id": "mastodon:alice@example.social", "account_id": account["_id"], "since": now},
            {"_id": "github:alice", "account_id": account["_id"], "since": now},
            {"_id": "domain:gone.example", "account_id": account["_id"], "declined": True},
        ]
    )
    await browser.submit("/account", "/signout", {})
    resp, html = await browser.get("/@alice")
    assert resp.status == 200
    assert "Alice Martin" in html
    assert '<link rel="me" href="https://example.social/@alice">' in html
    assert '<a rel="me" href="https://github.com/alice">' in html
    assert "gone.example" not in html  # a declined key is not advertised
    assert "alice@example.org" not in html  # no private data
    assert re.search(r'<link rel="canonical" href="http://[^"]+/@alice">', html)
    assert '<meta name="omniflattr:creator" content="omniflattr:alice">' in html

    resp, _ = await browser.get("/@Alice")
    assert resp.status == 301 and resp.headers["Location"] == "/@alice"
    resp, html = await browser.get("/@nobody")
    assert resp.status == 404 and "no creator" in html


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _parse(snippet: str) -> list[tuple[str, dict]]:
    parser = _Attributes()
    parser.feed(snippet)
    return parser.tags


async def test_widget_snippets_are_escaped(browser):
    url = 'https://news.example.org/a?x=1&y="2"'
    items = f"{url} @Bob\nhttps://news.example.org/a#comment-3 github:carol\nftp://x bad\n"
    resp, page = await browser.get("/widget?items=" + quote(items))
    assert resp.status == 200
    buttons = re.findall(r'<pre class="snippet" id="button-\d+"><code>(.*?)</code></pre>', page)
    heads = re.findall(r'<pre class="snippet" id="head-\d+"><code>(.*?)</code></pre>', page)
    assert len(buttons) == 2 and len(heads) == 2
    # What a person copies is the page text: unescape once, then it must parse as intended.
    assert (
        html_lib.unescape(heads[0]) == '<meta name="omniflattr:creator" content="omniflattr:bob">'
    )
    (a_tag, a_attrs), (img_tag, img_attrs) = _parse(html_lib.unescape(buttons[0]))
    assert a_tag == "a" and img_tag == "img"
    # The button carries the normalised URL: browsers and the URL standard encode `"`.
    normalized = "https://news.example.org/a?x=1&y=%222%22"
    assert a_attrs["href"].endswith("/flattr?url=" + quote(normalized, safe=""))
    assert a_attrs["data-omniflattr-creator"] == "omniflattr:bob"
    assert img_attrs["src"].endswith("/api/v1/things/badge.svg?url=" + quote(normalized, safe=""))
    assert "<script" not in page.split("</main>")[0].split("<main")[1].replace("&lt;script", "")
    assert "Line 2: the part after # is ignored" in page
    assert "Line 3:" in page


async def test_flattr_page_shows_the_key(browser):
    resp, html = await browser.get("/flattr?url=" + quote("https://blog.example.org/post"))
    assert resp.status == 200 and "domain:example.org" in html
    resp, html = await browser.get("/flattr?url=" + quote("javascript:alert(1)"))
    assert resp.status == 400 and "cannot be flattred" in html


async def test_errors_are_friendly_pages_for_browsers_and_json_for_the_api(browser, api):
    resp, html = await browser.get("/no/such/page")
    assert resp.status == 404 and resp.content_type == "text/html"
    assert "Page not found" in html and "Traceback" not in html
    resp, html = await browser.get("/no/such/page", headers={"Accept-Language": "fr"})
    assert "Page introuvable" in html
    resp = await api.get("/api/v1/nothing", headers={"Accept": "text/html"})
    assert resp.status == 404 and resp.content_type == "application/json"
    resp, html = await browser.post("/", {})
    assert resp.status == 405 and "Not allowed here" in html


async def test_an_unexpected_failure_is_a_friendly_500(aiohttp_client, settings):
    app = create_app(settings, run_crawler=False)
    broken = WebRoutes()

    @broken.get("/broken", access="public")
    async def fail(page: Page) -> web.StreamResponse:
        raise RuntimeError("secret detail")

    broken.add_to(app)
    client = await aiohttp_client(app)
    resp = await client.get("/broken", headers={"Accept": "text/html"})
    text = await resp.text()
    assert resp.status == 500 and "Something went wrong" in text
    assert "secret detail" not in text and "Traceback" not in text


async def test_account_pages_show_only_the_signed_in_account(browser, other_browser):
    await browser.sign_up(email="one@example.org", name="One")
    await other_browser.sign_up(email="two@example.org", name="Two")
    _, html = await browser.get("/account")
    assert "one@example.org" in html and "two@example.org" not in html
    _, html = await other_browser.get("/account")
    assert "two@example.org" in html and "one@example.org" not in html


async def test_admin_pages_are_for_admins_only(aiohttp_client, settings):
    app = create_app(
        dataclasses.replace(settings, admin_emails=frozenset({"boss@example.org"})),
        run_crawler=False,
    )
    admin_only = WebRoutes()

    @admin_only.get("/admin/probe", access="admin")
    async def probe(page: Page) -> web.StreamResponse:
        return web.Response(text="admin area")

    admin_only.add_to(app)
    client = await aiohttp_client(app)
    base = str(client.make_url("")).rstrip("/")
    for email, expected in (("someone@example.org", 403), ("boss@example.org", 200)):
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
            visitor = Browser(session, base)
            resp, _ = await visitor.get("/admin/probe")
            assert resp.status == 303  # signed out: sign in first
            await visitor.sign_up(email=email)
            resp, html = await visitor.get("/admin/probe")
            assert resp.status == expected, html


async def test_sessions_expire_in_the_database(context):
    indexes = await context.db.web_sessions.index_information()
    assert indexes["ttl"]["expireAfterSeconds"] == 0
    assert indexes["ttl"]["key"] == [("expires_at", 1)]


async def test_database_outage_is_a_friendly_503(browser, context):
    await browser.sign_up()
    # Two dropped connections: the driver's one retry of a read fails too.
    await context.client.admin.command(
        "configureFailPoint",
        "failCommand",
        mode={"times": 2},
        data={"failCommands": ["find"], "closeConnection": True},
    )
    try:
        resp, html = await browser.get("/account")
    finally:
        await context.client.admin.command("configureFailPoint", "failCommand", mode="off")
    assert resp.status == 503 and "Retry-After" in resp.headers
    assert "Temporarily unavailable" in html and "Traceback" not in html
