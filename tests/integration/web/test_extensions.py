"""Pairing the browser extension, and the list of connected extensions."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urljoin, urlsplit

from bson import ObjectId

from registry_service.accounts.tokens import token_hash
from registry_service.ledger.gifts import EXTENSION_GIFT_MAX_CENTS
from tests.integration.web.conftest import csrf_from, signed_up, text_of, top_up

STATE = "n0nce_Abc-123456"


async def _approve(browser, decision: str = "approve", label: str = "Firefox on laptop"):
    path = f"/connect?state={STATE}&label={quote(label)}"
    resp, html = await browser.get(path)
    assert resp.status == 200, html
    form = {"csrf_token": csrf_from(html), "state": STATE, "label": label, "decision": decision}
    return await browser.post("/connect", form)


async def test_pairing_signs_in_first_then_returns_to_the_approve_page(browser, other_browser):
    email = await browser.sign_up()
    path = f"/connect?state={STATE}&label=Chromium%20on%20desk"
    resp, _ = await other_browser.get(path)
    assert resp.status == 303
    location = resp.headers["Location"]
    assert urlsplit(location).path == "/signin"
    next_path = parse_qs(urlsplit(location).query)["next"][0]
    assert next_path == path
    resp, _ = await other_browser.get(location)
    assert resp.status == 200
    resp, _ = await other_browser.sign_in(email, next_path=next_path)
    assert resp.status == 303 and resp.headers["Location"] == path
    resp, html = await other_browser.get(path)
    assert resp.status == 200
    assert "Chromium on desk" in html and 'value="approve"' in html and 'value="deny"' in html


async def test_approve_issues_an_extension_token_in_the_fragment(browser, context, api):
    await browser.sign_up()
    resp, _ = await _approve(browser)
    assert resp.status == 303
    location = urlsplit(urljoin("https://service.example/connect", resp.headers["Location"]))
    assert location.path == "/connect/done" and not location.query
    assert not resp.headers["Location"].startswith("/")  # relative: a service under a path
    fragment = parse_qs(location.fragment)
    assert fragment["state"] == [STATE]
    token = fragment["token"][0]
    stored = await context.db.tokens.find_one({"hash": token_hash(token)})
    assert stored["scope"] == "extension" and stored["label"] == "Firefox on laptop"
    # The token works on the API, with the extension's rights only.
    bearer = {"Authorization": f"Bearer {token}"}
    resp = await api.get("/api/v1/tokens", headers=bearer)
    assert resp.status == 403
    # The page the browser lands on never receives the token (fragments stay in the browser).
    resp, html = await browser.get("/connect/done")
    assert resp.status == 200 and "You can close this tab" in html
    assert token not in html
    assert resp.headers["Referrer-Policy"] == "no-referrer"
    resp = await api.delete("/api/v1/tokens/current", headers=bearer)
    assert resp.status == 204


async def test_deny_issues_nothing(browser, context):
    await browser.sign_up()
    resp, _ = await _approve(browser, decision="deny")
    assert resp.status == 303
    location = urlsplit(urljoin("https://service.example/connect", resp.headers["Location"]))
    assert location.path == "/connect/done"
    assert parse_qs(location.fragment) == {"error": ["access_denied"], "state": [STATE]}
    assert await context.db.tokens.count_documents({}) == 0
    resp, html = await browser.get("/connect/done?denied=1")
    assert "not connected" in html


async def test_a_malformed_state_is_refused(browser, context):
    await browser.sign_up()
    for state in ("", "short", "has space in it", "x" * 200, "<script>alert(1)</script>"):
        resp, html = await browser.get(f"/connect?state={quote(state)}")
        assert resp.status == 400, state
        assert "connection link is broken" in html
    _, html = await browser.get(f"/connect?state={STATE}")
    resp, _ = await browser.post(
        "/connect", {"csrf_token": csrf_from(html), "state": "bad state", "decision": "approve"}
    )
    assert resp.status == 400
    assert await context.db.tokens.count_documents({}) == 0


async def test_the_label_is_escaped(browser):
    await browser.sign_up()
    resp, html = await browser.get(f"/connect?state={STATE}&label={quote('<b>x</b>')}")
    assert resp.status == 200
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


async def test_pages_cannot_be_framed(browser):
    await browser.sign_up()
    resp, _ = await browser.get(f"/connect?state={STATE}")
    assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Frame-Options"] == "DENY"


async def test_connected_extensions_list_and_revoke(browser, other_browser, context, api):
    await browser.sign_up()
    await _approve(browser, label="Laptop")
    resp, html = await browser.get("/account/extensions")
    assert resp.status == 200 and "Laptop" in html
    token_doc = await context.db.tokens.find_one({"label": "Laptop"})

    # Another account can neither see nor revoke it.
    await other_browser.sign_up(name="Mallory")
    resp, html = await other_browser.get("/account/extensions")
    assert "Laptop" not in html
    resp, html = await other_browser.submit(
        "/account/extensions", f"/account/extensions/{token_doc['_id']}/revoke", {}
    )
    assert resp.status == 404
    assert (await context.db.tokens.find_one({"_id": token_doc["_id"]}))["revoked_at"] is None

    resp, _ = await browser.submit(
        "/account/extensions", f"/account/extensions/{token_doc['_id']}/revoke", {}
    )
    assert resp.status == 303
    assert (await context.db.tokens.find_one({"_id": token_doc["_id"]}))["revoked_at"] is not None
    resp, html = await browser.get("/account/extensions")
    assert "Laptop" not in html and "disconnected" in html


async def test_full_tokens_are_not_managed_as_extensions(browser, context):
    await browser.sign_up()
    account = await context.db.accounts.find_one({})
    full_id = ObjectId()
    await context.db.tokens.insert_one(
        {
            "_id": full_id,
            "account_id": account["_id"],
            "hash": "x",
            "scope": "full",
            "label": "cli",
            "created_at": account["created_at"],
            "revoked_at": None,
        }
    )
    resp, html = await browser.get("/account/extensions")
    assert "cli" not in html
    resp, _ = await browser.submit(
        "/account/extensions", f"/account/extensions/{full_id}/revoke", {}
    )
    assert resp.status == 404
    resp, _ = await browser.submit("/account/extensions", "/account/extensions/nonsense/revoke", {})
    assert resp.status == 404


async def test_the_pairing_page_says_what_the_token_truly_may_do(browsers, money_api):
    browser = await signed_up(browsers)
    await top_up(browser, 5_000)
    path = f"/connect?state={STATE}&label=Chromium"
    _, html = await browser.get(path)
    text = text_of(html)
    assert "send gifts from your balance, at most €20.00 each" in text
    assert "subscribe to pages" in text and "undo them" in text
    assert "top up your balance or pay money out" in text
    assert "change your budget" in text and "send money" not in text
    _, html_fr = await browser.get(path, headers={"Accept-Language": "fr"})
    text_fr = text_of(html_fr)
    assert "envoyer des dons pris sur votre solde, 20,00 € au plus chacun" in text_fr
    assert "s'abonner à des pages" in text_fr and "alimenter votre solde" in text_fr

    # What the page promises is what the API does with the token it issues.
    form = {"csrf_token": csrf_from(html), "state": STATE, "label": "x", "decision": "approve"}
    resp, _ = await browser.post("/connect", form)
    token = parse_qs(urlsplit(resp.headers["Location"]).fragment)["token"][0]
    bearer = {"Authorization": f"Bearer {token}"}

    async def call(method: str, route: str, body: dict | None = None) -> int:
        async with money_api.request(method, "/api/v1" + route, json=body, headers=bearer) as r:
            call.answer = await r.json() if r.status != 204 else None
            return r.status

    page_url = "https://example.org/a-post"
    assert await call("POST", "/flattrs", {"url": page_url}) == 201
    assert await call("DELETE", f"/flattrs/{call.answer['id']}") == 204
    assert await call("POST", "/subscriptions", {"url": page_url + "-2", "months": 3}) == 201
    gift = {"url": page_url, "amount_cents": EXTENSION_GIFT_MAX_CENTS}
    assert await call("POST", "/gifts", gift) == 201
    assert await call("POST", "/gifts", {**gift, "amount_cents": 2_001}) == 403
    assert await call("POST", "/funding", {"amount_cents": 1_000, "method": "card"}) == 403
    assert await call("PUT", "/me/budget", {"monthly_cents": 100}) == 403
    assert await call("POST", "/payouts", {"amount_cents": 100}) == 403
