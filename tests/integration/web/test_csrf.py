"""Every form post needs the CSRF token of its own session."""

from __future__ import annotations

import re

from registry_service.web.routing import SAFE_METHODS, WEB_ROUTES
from tests.integration.web.conftest import csrf_from


def _unsafe_routes(api) -> list[str]:
    routes = api.app[WEB_ROUTES]
    paths = [
        re.sub(r"\{[a-z_]+\}", "0" * 24, r.path) for r in routes if r.method not in SAFE_METHODS
    ]
    assert "/signin" in paths and "/connect" in paths and "/signout" in paths
    assert len(paths) >= 25, "every form of the funder, creator and admin pages is listed"
    return paths


async def test_every_form_post_without_token_is_403(api, browser):
    await browser.sign_up()
    for path in _unsafe_routes(api):
        resp, html = await browser.post(path, {"email": "x@example.org", "password": "x"})
        assert resp.status == 403, path
        assert "This form has expired" in html and "Traceback" not in html


async def test_a_token_from_another_session_is_refused(browser, other_browser):
    await browser.sign_up()
    _, html = await other_browser.get("/signin")
    foreign = csrf_from(html)
    resp, _ = await browser.post("/signout", {"csrf_token": foreign})
    assert resp.status == 403
    resp, _ = await browser.get("/account")
    assert resp.status == 200, "a refused post changed nothing"


async def test_token_in_header_works_for_scripts(browser):
    await browser.sign_up()
    _, html = await browser.get("/account")
    resp, _ = await browser.post("/signout", {}, headers={"X-CSRF-Token": csrf_from(html)})
    assert resp.status == 303


async def test_sign_in_without_a_session_is_refused(browser):
    resp, _ = await browser.post("/signin", {"email": "a@example.org", "password": "whatever"})
    assert resp.status == 403


async def test_a_form_that_is_not_utf8_is_a_clear_400_on_every_form(api, browser):
    await browser.sign_up()
    for path in _unsafe_routes(api):
        resp, html = await browser.post(
            path, b"\xff\xfe=1", headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert resp.status == 400, path
        assert "not UTF-8" in html and "Traceback" not in html


async def test_a_form_its_content_encoding_cannot_decode_is_a_400(browser):
    await browser.sign_up()
    resp, html = await browser.post(
        "/signout",
        b"this is not gzip",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Content-Encoding": "gzip"},
    )
    assert resp.status == 400 and "Traceback" not in html
