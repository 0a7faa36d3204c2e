"""Sign up, sign in, sign out, password change, and how sessions are kept."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from registry_service.app import create_app
from registry_service.web.sessions import hash_session_id
from tests.integration.web.conftest import PASSWORD

COOKIE = "omniflattr_session"


async def test_sign_up_signs_in_with_a_hashed_httponly_session(browser, context):
    resp, html = await browser.submit(
        "/signup",
        "/signup",
        {"email": "Ada@Example.org", "display_name": "Ada", "password": PASSWORD},
    )
    assert resp.status == 303 and resp.headers["Location"] == "/account"
    set_cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie
    assert "Secure" not in set_cookie  # test environment: plain http
    session_id = browser.cookie(COOKIE)
    stored = await context.db.web_sessions.find_one({"_id": hash_session_id(session_id)})
    assert stored is not None and stored["account_id"] is not None
    assert session_id not in str(await context.db.web_sessions.find({}).to_list())

    resp, html = await browser.get("/account")
    assert resp.status == 200
    assert "ada@example.org" in html and "Welcome, Ada!" in html
    # A flash message is shown once.
    resp, html = await browser.get("/account")
    assert "Welcome, Ada!" not in html


async def test_cookie_is_secure_and_host_only_outside_dev(aiohttp_client, settings, browser):
    client = await aiohttp_client(
        create_app(dataclasses.replace(settings, env="prod"), run_crawler=False)
    )
    resp = await client.get("/signin", headers={"Accept": "text/html"})
    assert resp.status == 200
    cookie = resp.headers["Set-Cookie"]
    assert cookie.startswith("__Host-omniflattr_session=")
    assert "Secure" in cookie and "HttpOnly" in cookie and "Path=/" in cookie
    assert "Domain" not in cookie


async def test_sign_in_replaces_the_session_id_and_sign_out_ends_it(
    browser, other_browser, context
):
    email = await browser.sign_up()
    await other_browser.get("/signin")
    before = other_browser.cookie(COOKIE)
    resp, html = await other_browser.sign_in(email)
    assert resp.status == 303, html
    after = other_browser.cookie(COOKIE)
    assert after and after != before, "the pre-sign-in session id must not be reused"
    assert await context.db.web_sessions.find_one({"_id": hash_session_id(before)}) is None

    resp, html = await other_browser.get("/account")
    assert resp.status == 200
    resp, _ = await other_browser.submit("/account", "/signout", {})
    assert resp.status == 303 and resp.headers["Location"] == "/"
    assert await context.db.web_sessions.find_one({"_id": hash_session_id(after)}) is None
    resp, _ = await other_browser.get("/account")
    assert resp.status == 303 and resp.headers["Location"].startswith("/signin?next=")
    # The first browser is still signed in.
    resp, _ = await browser.get("/account")
    assert resp.status == 200


async def test_expired_session_is_signed_out(browser, context):
    await browser.sign_up()
    await context.db.web_sessions.update_many(
        {}, {"$set": {"expires_at": datetime.now(UTC) - timedelta(seconds=1)}}
    )
    resp, _ = await browser.get("/account")
    assert resp.status == 303


async def test_wrong_password_and_unknown_email_read_the_same(browser):
    email = await browser.sign_up()
    await browser.submit("/account", "/signout", {})
    resp, wrong = await browser.sign_in(email, "not the password")
    assert resp.status == 401
    assert "The email or the password is wrong." in wrong
    assert f'value="{email}"' in wrong  # the form keeps what was typed
    resp, unknown = await browser.sign_in("nobody@example.org", "not the password")
    assert resp.status == 401
    assert "The email or the password is wrong." in unknown


async def test_sign_in_is_rate_limited(browser):
    email = await browser.sign_up()
    await browser.submit("/account", "/signout", {})
    statuses = [(await browser.sign_in(email, "wrong password"))[0].status for _ in range(11)]
    assert statuses[:10] == [401] * 10
    resp, html = await browser.sign_in(email)  # even the right password waits now
    assert resp.status == 429 and "Retry-After" in resp.headers
    assert "Too many attempts" in html


async def test_next_is_followed_only_within_the_site(browser):
    email = await browser.sign_up()
    await browser.submit("/account", "/signout", {})
    for evil in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "/%0a/x\\y"):
        resp, _ = await browser.sign_in(email, next_path=evil)
        assert resp.status == 303 and resp.headers["Location"] == "/account", evil
        await browser.submit("/account", "/signout", {})
    resp, _ = await browser.sign_in(email, next_path="/account/extensions?x=1")
    assert resp.headers["Location"] == "/account/extensions?x=1"


async def test_signed_out_visitor_is_sent_to_sign_in_and_back(browser):
    resp, _ = await browser.get("/account/password")
    assert resp.status == 303
    assert resp.headers["Location"] == "/signin?next=%2Faccount%2Fpassword"


async def test_sign_up_errors_name_the_field(browser):
    await browser.sign_up(email="taken@example.org")
    await browser.submit("/account", "/signout", {})
    resp, html = await browser.submit(
        "/signup", "/signup", {"email": "not-an-email", "display_name": "", "password": "short"}
    )
    assert resp.status == 422
    assert 'aria-invalid="true"' in html
    assert "This is not a valid email address." in html
    assert "at least 10 characters" in html
    resp, html = await browser.submit(
        "/signup",
        "/signup",
        {"email": "taken@example.org", "display_name": "B", "password": PASSWORD},
    )
    assert resp.status == 409 and "already exists" in html
    resp, html = await browser.submit(
        "/signup",
        "/signup",
        {"email": "b@example.org", "display_name": "B", "password": PASSWORD, "handle": "A B"},
    )
    assert resp.status == 422 and "2 to 32 characters" in html


async def test_password_change(browser, other_browser, context):
    email = await browser.sign_up()
    await other_browser.sign_in(email)
    new = "a brand new passphrase"
    resp, html = await browser.submit(
        "/account/password", "/account/password", {"current": "nope", "new": new, "repeat": new}
    )
    assert resp.status == 401 and "The current password is wrong." in html
    resp, html = await browser.submit(
        "/account/password",
        "/account/password",
        {"current": PASSWORD, "new": new, "repeat": new + "x"},
    )
    assert resp.status == 422 and "not the same" in html
    resp, html = await browser.submit(
        "/account/password", "/account/password", {"current": PASSWORD, "new": new, "repeat": new}
    )
    assert resp.status == 303, html
    # This browser stays signed in; the other one was signed out.
    assert (await browser.get("/account"))[0].status == 200
    assert (await other_browser.get("/account"))[0].status == 303
    await browser.submit("/account", "/signout", {})
    assert (await browser.sign_in(email, PASSWORD))[0].status == 401
    assert (await browser.sign_in(email, new))[0].status == 303
