"""Topping up with the fee shown first, and the monthly budget with its live example."""

from __future__ import annotations

import re

from registry_service.ledger import accounts as acct
from registry_service.ledger import journal
from tests.integration.web.conftest import (
    account_of,
    app_context,
    csrf_from,
    flattr_page,
    signed_up,
    squeeze,
    text_of,
    top_up,
)


async def balance(client, browser) -> int:
    account = await account_of(client, browser)
    return await journal.balance(app_context(client).db, acct.funder_account(account["_id"]))


async def test_the_fee_is_shown_before_paying_and_charged_exactly(money_api, browsers):
    alice = await signed_up(browsers)
    resp, html = await alice.get("/account/topup?amount=100&method=card")
    assert resp.status == 200
    text = text_of(html)
    # 100.00 € by card: 30 ct + 2 % = 2.30 € fee, 97.70 € credited (money.md's example).
    assert "€100.00" in text and "−€2.30" in text and "€97.70" in text
    assert "Topping up €500.00 at once would cost €10.30 in fees, instead of €11.50" in text
    assert await balance(money_api, alice) == 0, "a quote moves no money"
    fee = re.search(r'name="fee_cents" value="(\d+)"', html).group(1)
    assert fee == "230"
    resp, _ = await alice.post(
        "/account/topup",
        {
            "amount_cents": "10000",
            "method": "card",
            "fee_cents": fee,
            "csrf_token": csrf_from(html),
        },
    )
    assert resp.status == 303 and resp.headers["Location"] == "/account/topup"
    assert await balance(money_api, alice) == 9_770
    _, html = await alice.get("/account/topup")
    assert "€97.70 were added to your balance." in text_of(html)


async def test_a_fee_other_than_the_one_shown_is_not_charged(money_api, browsers):
    alice = await signed_up(browsers)
    _, html = await alice.get("/account/topup?amount=100&method=card")
    resp, html = await alice.post(
        "/account/topup",
        {
            "amount_cents": "10000",
            "method": "card",
            "fee_cents": "1",
            "csrf_token": csrf_from(html),
        },
    )
    assert resp.status == 409 and "The fee changed" in html
    assert await balance(money_api, alice) == 0


async def test_top_up_form_errors_are_friendly(money_api, browsers):
    alice = await signed_up(browsers)
    for query, message in [
        ("amount=abc&method=card", "This is not an amount"),
        ("amount=1.234&method=card", "at most two decimals"),
        ("amount=-5&method=card", "cannot be negative"),
        ("amount=10&method=carrier-pigeon", "Choose a payment method."),
        ("amount=0.20&method=card", "does not even cover the fee"),
    ]:
        resp, html = await alice.get("/account/topup?" + query)
        assert resp.status == 422, query
        assert message in text_of(html), (query, text_of(html))
    _, html = await alice.get("/account/topup?amount=100&method=card")
    for data in ({"amount_cents": "-1"}, {"amount_cents": "1e9"}, {"method": "x"}):
        form = {"amount_cents": "10000", "method": "card", "fee_cents": "230", **data}
        resp, _ = await alice.post("/account/topup", {**form, "csrf_token": csrf_from(html)})
        assert resp.status == 422, data
    assert await balance(money_api, alice) == 0


async def test_top_up_in_french_reads_french_amounts(browsers):
    alice = await signed_up(browsers)
    fr = {"Accept-Language": "fr"}
    resp, html = await alice.get("/account/topup?amount=20%2C50&method=bank", headers=fr)
    assert resp.status == 200
    text = text_of(html)
    # 20,50 € by transfer: 30 ct + 0.3 % of 2050 = 6.15 -> 6 ct (half up) = 36 ct.
    assert "20,50 €" in text and "−0,36 €" in text and "20,14 €" in text


async def test_budget_saved_and_explained_with_the_real_month(money_api, browsers):
    alice = await signed_up(browsers)
    await top_up(alice, 10_000)
    for n in range(20):
        resp, _ = await flattr_page(alice, f"https://blog-{n}.example.org/post")
        assert resp.status == 303
    _, html = await alice.get("/account/budget")
    resp, html = await alice.post(
        "/account/budget",
        {"monthly": "2", "minimum": "", "cap": "", "action": "save", "csrf_token": csrf_from(html)},
    )
    assert resp.status == 303
    _, html = await alice.get("/account/budget")
    text = text_of(html)
    assert "With your 20 flattrs this month, each gets 10 ct: the month spends €2.00." in text
    # The live example asks the server, which applies the ledger's rule to this month.
    resp = await alice.session.get(
        alice.base + "/account/budget/example",
        params={"monthly": "2", "minimum": "0.15", "cap": "2.50"},
    )
    body = await resp.json()
    body["sentences"] = [squeeze(s) for s in body["sentences"]]
    assert resp.status == 200 and body["spend_cents"] == 250
    assert any("raises" not in s and "cap keeps the month at €2.50" in s for s in body["sentences"])
    resp = await alice.session.get(
        alice.base + "/account/budget/example", params={"monthly": "2", "minimum": "0.15"}
    )
    body = await resp.json()
    body["sentences"] = [squeeze(s) for s in body["sentences"]]
    assert body["spend_cents"] == 300
    assert (
        "Your minimum of 15 ct per flattr raises the month from €2.00 to €3.00."
        in body["sentences"]
    )


async def test_budget_errors_name_the_field(money_api, browsers):
    alice = await signed_up(browsers)
    _, html = await alice.get("/account/budget")
    token = csrf_from(html)
    cases = [
        ({"monthly": "1.99"}, "at least €2.00"),
        ({"monthly": "5", "cap": "4"}, "cannot be less than the monthly budget"),
        ({"monthly": "five"}, "This is not an amount"),
        ({"monthly": "5", "minimum": "-1"}, "cannot be negative"),
    ]
    for data, message in cases:
        form = {"monthly": "", "minimum": "", "cap": "", "action": "save", **data}
        resp, html = await alice.post("/account/budget", {**form, "csrf_token": token})
        assert resp.status == 422 and message in text_of(html), (data, text_of(html))
    doc = await app_context(money_api).db.budgets.find_one(
        {"_id": str((await account_of(money_api, alice))["_id"])}
    )
    assert doc is None, "nothing was saved"


async def test_budget_preview_without_script_saves_nothing(money_api, browsers):
    alice = await signed_up(browsers)
    await top_up(alice, 1_000)
    _, html = await alice.get("/account/budget")
    resp, html = await alice.post(
        "/account/budget",
        {
            "monthly": "3",
            "minimum": "",
            "cap": "",
            "action": "preview",
            "csrf_token": csrf_from(html),
        },
    )
    assert resp.status == 200
    text = text_of(html)
    assert "You have not flattred anything this month yet." in text
    assert "With 20 flattrs, each would get 15 ct (the month would spend €3.00)." in text
    assert await app_context(money_api).db.budgets.count_documents({}) == 0


async def test_budget_example_uses_the_balance_when_it_is_short(browsers):
    alice = await signed_up(browsers)
    await top_up(alice, 131, method="bank")  # 131 - (30 + 0) = 101 ct
    resp = await alice.session.get(alice.base + "/account/budget/example", params={"monthly": "2"})
    body = await resp.json()
    body["sentences"] = [squeeze(s) for s in body["sentences"]]
    assert body["spend_cents"] == 101
    assert any("Your balance (€1.01) is less than €2.00" in s for s in body["sentences"])
    # 101 ct over 20 sample flattrs: 1 gets 6 ct, the others 5 ct (largest remainder).
    assert any("each would get 5 ct or 6 ct" in s for s in body["sentences"])
