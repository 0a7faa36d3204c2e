"""A browser-like client for the pages: cookies, CSRF tokens taken from the forms."""

from __future__ import annotations

import dataclasses
import html as html_lib
import re
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

import aiohttp
import pytest

from crawlers.fetch import close_guarded_client
from registry_service.api.state import CONTEXT

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "correct horse battery"


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


class Browser:
    """One browser: its own cookie jar; follows no redirect unless asked."""

    def __init__(self, session: aiohttp.ClientSession, base: str) -> None:
        self.session = session
        self.base = base
        self.email: str | None = None

    async def get(self, path: str, **kw) -> tuple[aiohttp.ClientResponse, str]:
        kw.setdefault("allow_redirects", False)
        headers = {"Accept": "text/html", **kw.pop("headers", {})}
        async with self.session.get(self.base + path, headers=headers, **kw) as resp:
            return resp, await resp.text()

    async def post(self, path: str, data: dict, **kw) -> tuple[aiohttp.ClientResponse, str]:
        kw.setdefault("allow_redirects", False)
        headers = {"Accept": "text/html", **kw.pop("headers", {})}
        async with self.session.post(self.base + path, data=data, headers=headers, **kw) as resp:
            return resp, await resp.text()

    async def submit(self, page: str, action: str, data: dict, **kw):
        """Open `page`, take its CSRF token, post `data` to `action`."""
        resp, html = await self.get(page)
        assert resp.status == 200, html
        return await self.post(action, {**data, "csrf_token": csrf_from(html)}, **kw)

    async def sign_up(self, email: str | None = None, name: str = "Alice", **extra) -> str:
        email = email or f"{uuid.uuid4().hex[:8]}@example.org"
        resp, html = await self.submit(
            "/signup",
            "/signup",
            {"email": email, "display_name": name, "password": PASSWORD, **extra},
        )
        assert resp.status == 303, html
        return email

    async def sign_in(self, email: str, password: str = PASSWORD, next_path: str = ""):
        data = {"email": email, "password": password}
        if next_path:
            data["next"] = next_path
        return await self.submit("/signin", "/signin", data)

    def cookie(self, name: str) -> str | None:
        for cookie in self.session.cookie_jar:
            if cookie.key == name:
                return cookie.value
        return None


async def _browser(api):
    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    return Browser(session, str(api.make_url("")).rstrip("/"))


@pytest.fixture
async def browser(api):
    b = await _browser(api)
    yield b
    await b.session.close()


@pytest.fixture
async def other_browser(api):
    b = await _browser(api)
    yield b
    await b.session.close()


# --- the funder, creator and admin pages: a fixed clock, an administrator, ready indexes --

ADMIN_EMAIL = "boss@example.org"
NOVEMBER = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def money_settings(settings):
    return dataclasses.replace(settings, now=NOVEMBER, admin_emails=frozenset({ADMIN_EMAIL}))


@pytest.fixture
async def money_api(aiohttp_client, money_settings):
    """The whole application on a fixed clock (mid-November 2026), indexes made first."""
    from registry_service.app import create_app
    from tests.integration.ledger.conftest import fresh_limits, prepare_database

    await prepare_database(money_settings)
    client = await aiohttp_client(fresh_limits(create_app(money_settings, run_crawler=False)))
    yield client
    await close_guarded_client(client.app[CONTEXT])


@pytest.fixture
async def browsers(money_api):
    """Make browsers on the money application: `await browsers()` (signed out)."""
    made: list[Browser] = []

    async def make() -> Browser:
        session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        browser = Browser(session, str(money_api.make_url("")).rstrip("/"))
        made.append(browser)
        return browser

    yield make
    for browser in made:
        await browser.session.close()


def app_context(client):
    return client.app[CONTEXT]


def set_clock(client, when: datetime) -> None:
    app_context(client).clock.fixed = when


async def signed_up(browsers, name: str = "Alice", **extra) -> Browser:
    browser = await browsers()
    browser.email = await browser.sign_up(name=name, **extra)
    return browser


async def account_of(client, browser: Browser) -> dict:
    return await app_context(client).db.accounts.find_one({"email": browser.email})


async def top_up(browser: Browser, cents: int, method: str = "bank") -> None:
    """Top up through the pages: quote, then confirm with the fee that was shown."""
    amount = f"{cents // 100}.{cents % 100:02d}"
    resp, html = await browser.get(f"/account/topup?amount={amount}&method={method}")
    assert resp.status == 200, html
    fee = re.search(r'name="fee_cents" value="(\d+)"', html).group(1)
    resp, html = await browser.post(
        "/account/topup",
        {
            "amount_cents": str(cents),
            "method": method,
            "fee_cents": fee,
            "csrf_token": csrf_from(html),
        },
    )
    assert resp.status == 303, html


async def flattr_page(browser: Browser, url: str, weight: int = 1):
    resp, html = await browser.get("/flattr?url=" + quote(url, safe=""))
    assert resp.status == 200, html
    return await browser.post(
        "/flattr", {"url": url, "weight": str(weight), "csrf_token": csrf_from(html)}
    )


def text_of(html: str) -> str:
    """The visible text of a page's main part, with entities decoded and spaces squeezed."""
    main = html.split("<main", 1)[-1].split(">", 1)[-1].split("</main>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", main)
    return re.sub(r"\s+", " ", html_lib.unescape(text)).strip()


def squeeze(text: str) -> str:
    """Spaces of every kind (no-break, narrow no-break) as one plain space."""
    return re.sub(r"\s+", " ", text)


def table_text(html: str, index: int = 0) -> str:
    """The text of the page's `index`-th table."""
    tables = re.findall(r"<table.*?</table>", html, re.S)
    return text_of("<main>" + tables[index] + "</main>")
