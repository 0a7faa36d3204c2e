"""A browser-like client for the pages: cookies, CSRF tokens taken from the forms."""

from __future__ import annotations

import re
import uuid

import aiohttp
import pytest

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
