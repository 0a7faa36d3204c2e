"""The Flattr button, this month's flattrs (weights, shares, undo), subscriptions, gifts."""

from __future__ import annotations

import re
from urllib.parse import quote

from registry_service.ledger import accounts as acct
from registry_service.ledger import flattrs, journal
from tests.integration.ledger.support import claim
from tests.integration.web.conftest import (
    account_of,
    app_context,
    csrf_from,
    flattr_page,
    signed_up,
    table_text,
    text_of,
    top_up,
)

URL = "https://news.example.org/article-1"


async def funder_balance(client, browser) -> int:
    account = await account_of(client, browser)
    return await journal.balance(app_context(client).db, acct.funder_account(account["_id"]))


async def month_flattrs(client, browser) -> list[dict]:
    account = await account_of(client, browser)
    return await flattrs.month_entries(app_context(client), str(account["_id"]), "2026-11")


async def test_flattr_button_on_the_flattr_page(money_api, browsers):
    visitor = await browsers()
    resp, html = await visitor.get("/flattr?url=" + quote(URL, safe=""))
    assert resp.status == 200
    assert "Sign in to flattr this page" in text_of(html) and 'action="/flattr"' not in html
    # Signed out, a post is refused even with a valid token of the session.
    _, signin = await visitor.get("/signin")
    resp, _ = await visitor.post("/flattr", {"url": URL, "csrf_token": csrf_from(signin)})
    assert resp.status == 403

    alice = await signed_up(browsers)
    resp, _ = await flattr_page(alice, URL, weight=3)
    assert resp.status == 303 and resp.headers["Location"] == "/flattr?url=" + quote(URL, safe="")
    _, html = await alice.get(resp.headers["Location"])
    text = text_of(html)
    assert "Flattred!" in text and "You flattred this page this month, with weight 3." in text
    flattrs = await month_flattrs(money_api, alice)
    assert [(f["normalized"], f["weight"]) for f in flattrs] == [(URL, 3)]
    # The same page again this month: one flattr, said so.
    resp, html = await alice.post("/flattr", {"url": URL, "csrf_token": csrf_from(html)})
    _, html = await alice.get(resp.headers["Location"])
    assert "You already flattred this page this month" in text_of(html)
    assert len(await month_flattrs(money_api, alice)) == 1


async def test_flattr_button_errors_are_friendly(money_api, browsers):
    alice = await signed_up(browsers)
    owner = await signed_up(browsers, name="Owner")
    await claim(
        app_context(money_api).db,
        "domain:declined-site.org",
        (await account_of(money_api, owner))["_id"],
        declined=True,
    )
    _, html = await alice.get("/flattr?url=" + quote("https://declined-site.org/x", safe=""))
    assert "declined donations" in text_of(html) and 'action="/flattr"' not in html
    token = csrf_from(html)
    resp, html = await alice.post(
        "/flattr", {"url": "https://declined-site.org/x", "csrf_token": token}
    )
    assert resp.status == 422 and "declined donations" in text_of(html)
    resp, html = await alice.post("/flattr", {"url": "javascript:alert(1)", "csrf_token": token})
    assert resp.status == 400 and "cannot be flattred" in text_of(html)
    resp, html = await alice.post("/flattr", {"url": URL, "weight": "9", "csrf_token": token})
    assert resp.status == 400 and "from 1 to 5" in text_of(html)
    assert await month_flattrs(money_api, alice) == []


async def test_month_page_changes_weights_and_undoes(money_api, browsers):
    alice = await signed_up(browsers)
    await top_up(alice, 10_000)
    for path in ("a", "b", "c"):
        await flattr_page(alice, f"https://example.org/{path}")
    _, html = await alice.get("/account/flattrs")
    text = table_text(html)
    # Default budget 2.00 € over three flattrs of weight 1: 67 + 67 + 66 (largest remainder).
    assert text.count("67 ct") == 2 and text.count("66 ct") == 1
    assert "€2.00" in text_of(html)
    ids = re.findall(r'action="/account/flattrs/([0-9a-f]+)/weight"', html)
    assert len(ids) == 3
    resp, _ = await alice.post(
        f"/account/flattrs/{ids[0]}/weight", {"weight": "2", "csrf_token": csrf_from(html)}
    )
    assert resp.status == 303
    _, html = await alice.get("/account/flattrs")
    assert "The weight is now 2." in text_of(html)
    assert table_text(html).count("€1.00") == 1 and table_text(html).count("50 ct") == 2
    resp, _ = await alice.post(f"/account/flattrs/{ids[1]}/undo", {"csrf_token": csrf_from(html)})
    assert resp.status == 303
    assert len(await month_flattrs(money_api, alice)) == 2
    _, html = await alice.get("/account/flattrs")
    resp, html = await alice.post(
        f"/account/flattrs/{ids[0]}/weight", {"weight": "six", "csrf_token": csrf_from(html)}
    )
    assert resp.status == 400 and "from 1 to 5" in text_of(html)


async def test_another_accounts_flattr_is_not_found(money_api, browsers):
    alice = await signed_up(browsers)
    mallory = await signed_up(browsers, name="Mallory")
    await flattr_page(alice, URL)
    flattr_id = (await month_flattrs(money_api, alice))[0]["id"]
    _, html = await mallory.get("/account/flattrs")
    token = csrf_from(html)
    for action, data in (("weight", {"weight": "5"}), ("undo", {})):
        resp, page = await mallory.post(
            f"/account/flattrs/{flattr_id}/{action}", {**data, "csrf_token": token}
        )
        assert resp.status == 404, action
        assert "no such flattr" in text_of(page).lower()
    _, html = await mallory.get("/account/flattrs")
    assert URL not in html
    flattrs = await month_flattrs(money_api, alice)
    assert len(flattrs) == 1 and flattrs[0]["weight"] == 1


async def test_subscriptions_list_cancel_and_errors(money_api, browsers):
    alice = await signed_up(browsers)
    _, html = await alice.get("/account/subscriptions")
    token = csrf_from(html)
    resp, _ = await alice.post(
        "/account/subscriptions", {"url": URL, "months": "6", "weight": "2", "csrf_token": token}
    )
    assert resp.status == 303
    _, html = await alice.get("/account/subscriptions")
    text = text_of(html)
    assert "November 2026 – April 2027" in text and "active" in text
    assert [
        (f["weight"], bool(f.get("subscription"))) for f in await month_flattrs(money_api, alice)
    ] == [(2, True)]
    for data, status, message in [
        ({"url": URL, "months": "6", "weight": "1"}, 422, "already subscribe"),
        ({"url": URL, "months": "4", "weight": "1"}, 422, "Choose 3, 6 or 12 months."),
        ({"url": "ftp://x.org/", "months": "3", "weight": "1"}, 422, "cannot be used"),
        ({"url": "", "months": "3", "weight": "1"}, 422, "Fill this in."),
    ]:
        resp, page = await alice.post("/account/subscriptions", {**data, "csrf_token": token})
        assert resp.status == status and message in text_of(page), (data, text_of(page))
    sub_id = re.search(r"/account/subscriptions/([0-9a-f]{24})/cancel", html).group(1)
    mallory = await signed_up(browsers, name="Mallory")
    _, page = await mallory.get("/account/subscriptions")
    resp, _ = await mallory.post(
        f"/account/subscriptions/{sub_id}/cancel", {"csrf_token": csrf_from(page)}
    )
    assert resp.status == 404
    resp, _ = await alice.post(f"/account/subscriptions/{sub_id}/cancel", {"csrf_token": token})
    assert resp.status == 303
    _, html = await alice.get("/account/subscriptions")
    assert "stopped after November 2026" in text_of(html)


async def test_gifts_are_shown_before_they_are_sent(money_api, browsers):
    alice = await signed_up(browsers)
    bob = await signed_up(browsers, name="Bob", handle="bob")
    await top_up(alice, 1_033)  # 10.00 € after the bank fee: 30 ct + 0.3 % (3 ct)
    before = await funder_balance(money_api, alice)
    assert before == 1_000
    resp, html = await alice.get("/account/gifts?to=%40bob&amount=2.50")
    assert resp.status == 200
    assert "€2.50 from your balance go to" in text_of(html) and "omniflattr:bob" in html
    assert await funder_balance(money_api, alice) == before
    resp, _ = await alice.post(
        "/account/gifts", {"to": "@bob", "amount_cents": "250", "csrf_token": csrf_from(html)}
    )
    assert resp.status == 303
    assert await funder_balance(money_api, alice) == 750
    bob_id = (await account_of(money_api, bob))["_id"]
    got = await journal.balance(app_context(money_api).db, acct.creator_account(bob_id))
    assert got == 225  # 2.50 € minus the 10 % commission
    _, html = await alice.get("/account/gifts")
    assert "Your gift of €2.50 was sent to omniflattr:bob." in text_of(html)
    # An unclaimed key keeps a gift in escrow.
    _, html = await alice.get("/account/gifts?to=github%3AZoe&amount=1")
    assert "github:zoe" in html and "waiting in escrow" in text_of(html)


async def test_gift_errors_are_friendly(money_api, browsers):
    alice = await signed_up(browsers)
    await top_up(alice, 1_033)
    _, html = await alice.get("/account/gifts")
    token = csrf_from(html)
    cases = [
        ("/account/gifts?to=%40nobody&amount=1", 422, "no creator with this handle"),
        ("/account/gifts?to=domain%3Aco.uk&amount=1", 422, "public suffix"),
        ("/account/gifts?to=github%3Aalice&amount=zero", 422, "not an amount"),
        ("/account/gifts?to=ftp%3A%2F%2Fx.org&amount=1", 422, "cannot be used"),
    ]
    for path, status, message in cases:
        resp, page = await alice.get(path)
        assert resp.status == status and message in text_of(page), (path, text_of(page))
    resp, page = await alice.post(
        "/account/gifts", {"to": "github:alice", "amount_cents": "100000", "csrf_token": token}
    )
    assert resp.status == 422
    assert "Your balance, €10.00, is not enough for this amount." in text_of(page)
    assert await funder_balance(money_api, alice) == 1_000
