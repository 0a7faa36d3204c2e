"""After a month is settled (from the admin page): past months with their chart, CSV
statements, a creator's income and payouts, NGO requests and their approval."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from datetime import UTC, datetime

from registry_service.ledger import accounts as acct
from registry_service.ledger import journal
from tests.integration.ledger.support import claim
from tests.integration.web.conftest import (
    ADMIN_EMAIL,
    account_of,
    app_context,
    csrf_from,
    flattr_page,
    set_clock,
    signed_up,
    table_text,
    text_of,
    top_up,
)

DECEMBER = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


async def settle_november(client, admin) -> str:
    """Settle November from the admin page and follow its progress page to the end."""
    set_clock(client, DECEMBER)
    _, html = await admin.get("/admin")
    assert 'value="2026-11"' in html, "the admin page proposes last month"
    resp, _ = await admin.post(
        "/admin/settlements", {"month": "2026-11", "csrf_token": csrf_from(html)}
    )
    assert resp.status == 303 and resp.headers["Location"] == "/admin/settlements/2026-11"
    for _ in range(200):
        resp, html = await admin.get("/admin/settlements/2026-11")
        assert resp.status == 200
        if 'http-equiv="refresh"' not in html:
            return html
        await asyncio.sleep(0.05)
    raise AssertionError("the settlement did not finish")


async def scenario(client, browsers):
    """Alice funds 3 pages in November: one of Bob's claimed domain, two unclaimed."""
    admin = await signed_up(browsers, email=ADMIN_EMAIL, name="Boss")
    alice = await signed_up(browsers, name="Alice")
    bob = await signed_up(browsers, name="Bob", handle="bob")
    bob_id = (await account_of(client, bob))["_id"]
    await claim(app_context(client).db, "domain:bob-writes.org", bob_id)
    await top_up(alice, 10_000, method="card")  # 97.70 €
    _, html = await alice.get("/account/budget")
    await alice.post(
        "/account/budget",
        {"monthly": "3", "minimum": "", "cap": "", "action": "save", "csrf_token": csrf_from(html)},
    )
    await flattr_page(alice, "https://bob-writes.org/essay", weight=2)
    await flattr_page(alice, "https://unclaimed-one.org/a")
    await flattr_page(alice, "https://unclaimed-two.org/b")
    return admin, alice, bob


async def test_settle_from_admin_page_then_see_where_the_money_went(money_api, browsers):
    admin, alice, bob = await scenario(money_api, browsers)
    html = await settle_november(money_api, admin)
    text = text_of(html)
    assert "done" in text and "1 of 1 funders settled" in text
    # 3.00 €: weight 2 -> 1.50 €, weight 1 -> 75 ct each.
    assert "Spent by funders €3.00" in text and "To escrow €1.50" in text
    assert "To creators €1.35" in text and "Commission €0.15" in text

    resp, html = await alice.get("/account/months")
    assert resp.status == 200
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img"' in html
    assert "Nov 2026" in html and "€3.00" in table_text(html)
    rows = table_text(html, 1)
    assert "November 2026 €3.00 €0.00 €0.00 €97.70" in rows

    resp, html = await alice.get("/account/months/2026-11")
    detail = table_text(html, 1)
    assert "domain:bob-writes.org paid to the creator €1.50" in detail
    assert "domain:unclaimed-one.org waiting in escrow €0.75" in detail
    assert "domain:unclaimed-two.org waiting in escrow €0.75" in detail
    assert "Total €3.00" in detail
    assert html.count("<rect") >= 4  # the stacked bar and one bar per key

    # Bob cannot see Alice's month: his pages are about his account only.
    _, html = await bob.get("/account/months/2026-11")
    assert "unclaimed-one" not in html


async def test_statements_are_the_accounts_own(money_api, browsers):
    admin, alice, bob = await scenario(money_api, browsers)
    await settle_november(money_api, admin)
    resp, body = await alice.get("/account/statements/2026-11.csv?as=funder")
    assert resp.status == 200 and resp.content_type == "text/csv"
    assert resp.headers["Content-Disposition"] == (
        'attachment; filename="omniflattr-funder-2026-11.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(body)))
    flattrs = [r for r in rows if r["kind"] == "flattr"]
    assert sorted(int(r["amount_cents"]) for r in flattrs) == [-150, -75, -75]
    resp, body = await bob.get("/account/statements/2026-11.csv?as=creator")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows[-1]["kind"] == "total" and rows[-1]["net_cents"] == "135"
    # Bob's funder statement has nothing of Alice's.
    resp, body = await bob.get("/account/statements/2026-11.csv?as=funder")
    assert "bob-writes.org/essay" not in body and "unclaimed" not in body
    signed_out = await browsers()
    resp, _ = await signed_out.get("/account/statements/2026-11.csv?as=funder")
    assert resp.status == 303 and resp.headers["Location"].startswith("/signin")
    for path in ("/account/statements/2026-13.csv", "/account/statements/2026-11.csv?as=boss"):
        resp, _ = await alice.get(path)
        assert resp.status in (400, 404), path


async def test_income_chart_table_and_payouts(money_api, browsers):
    admin, _, bob = await scenario(money_api, browsers)
    await settle_november(money_api, admin)
    resp, html = await bob.get("/account/income")
    assert resp.status == 200
    text = text_of(html)
    assert "Your creator balance €1.35" in text
    assert "November 2026 €1.50 €0.15 €1.35 €0.00" in table_text(html, 1)
    assert "income-by-month-title" in html and "€1.35" in table_text(html, 0)
    token = csrf_from(html)
    for amount, message in [
        ("2", "Your balance, €1.35, is not enough for this amount."),
        ("abc", "This is not an amount"),
        ("0", "Enter an amount above zero."),
    ]:
        resp, page = await bob.post("/account/payouts", {"amount": amount, "csrf_token": token})
        assert resp.status == 422, amount
        assert message in text_of(page), (amount, text_of(page))
    resp, _ = await bob.post("/account/payouts", {"amount": "1,00", "csrf_token": token})
    assert resp.status == 303
    _, html = await bob.get("/account/income")
    assert "€1.00 are on their way to you." in text_of(html)
    assert "Your creator balance 35 ct" in text_of(html)
    bob_id = (await account_of(money_api, bob))["_id"]
    assert await journal.balance(app_context(money_api).db, acct.creator_account(bob_id)) == 35


async def test_ngo_request_approved_by_an_admin(money_api, browsers):
    admin = await signed_up(browsers, email=ADMIN_EMAIL, name="Boss")
    bob = await signed_up(browsers, name="Bob", handle="bob")
    _, html = await bob.get("/account/ngo")
    token = csrf_from(html)
    resp, page = await bob.post(
        "/account/ngo", {"organisation": "", "website": "javascript:x", "csrf_token": token}
    )
    assert resp.status == 422 and "Fill this in." in text_of(page)
    assert "starts with https://" in text_of(page)
    resp, _ = await bob.post(
        "/account/ngo",
        {
            "organisation": "Open Rivers",
            "website": "https://rivers.example.org",
            "csrf_token": token,
        },
    )
    assert resp.status == 303
    resp, page = await bob.post("/account/ngo", {"organisation": "Again", "csrf_token": token})
    assert resp.status == 409 and "already have a request" in text_of(page)

    # Not for other accounts: admin routes are 403 for them, with or without a token.
    resp, page = await bob.get("/admin")
    assert resp.status == 403
    request_id = (await app_context(money_api).db.ngo_requests.find_one({}))["_id"]
    resp, _ = await bob.post(f"/admin/ngo/{request_id}/approve", {"csrf_token": token})
    assert resp.status == 403

    _, html = await admin.get("/admin")
    assert "Open Rivers" in text_of(html) and "@bob" in text_of(html)
    resp, _ = await admin.post(f"/admin/ngo/{request_id}/approve", {"csrf_token": csrf_from(html)})
    assert resp.status == 303
    account = await account_of(money_api, bob)
    assert account["ngo"] is True
    _, html = await bob.get("/account/ngo")
    assert "recognised as an NGO" in text_of(html)
    _, html = await admin.get("/admin")
    assert "No request is waiting." in text_of(html)
    resp, html = await admin.post(
        f"/admin/ngo/{request_id}/refuse", {"csrf_token": csrf_from(html)}
    )
    assert resp.status == 409 and "already decided" in text_of(html)


async def test_reconcile_from_the_admin_page(money_api, browsers):
    admin, _, _ = await scenario(money_api, browsers)
    await settle_november(money_api, admin)
    _, html = await admin.get("/admin")
    assert "Not run yet." in text_of(html)
    resp, _ = await admin.post("/admin/reconcile", {"csrf_token": csrf_from(html)})
    assert resp.status == 303
    _, html = await admin.get("/admin")
    assert "the books are right" in text_of(html)
    # Break the books on purpose: the page lists the problem.
    await app_context(money_api).db.journal.insert_one(
        {
            "_id": "broken",
            "kind": "fund",
            "month": "2026-12",
            "at": DECEMBER,
            "slot": "txn:broken",
            "postings": [{"account": "funder:x", "cents": 5}],
        }
    )
    await admin.post("/admin/reconcile", {"csrf_token": csrf_from(html)})
    _, html = await admin.get("/admin")
    assert re.search(r"broken: postings add up to 5, not 0", html)


async def test_admin_refuses_months_that_are_not_over(money_api, browsers):
    admin = await signed_up(browsers, email=ADMIN_EMAIL, name="Boss")
    _, html = await admin.get("/admin")
    for month, message in [("2026-11", "not over yet"), ("2026-13", "not a month")]:
        resp, page = await admin.post(
            "/admin/settlements", {"month": month, "csrf_token": csrf_from(html)}
        )
        assert resp.status == 422 and message in text_of(page), text_of(page)
