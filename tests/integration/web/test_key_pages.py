"""Public pages about keys: what waits for a key (never who gave it), and the list."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

from registry_service.web.pages import escrow
from tests.integration.web.conftest import (
    app_context,
    csrf_from,
    signed_up,
    table_text,
    text_of,
    top_up,
)


async def give(browser, to: str, cents: int) -> None:
    _, html = await browser.get("/account/gifts")
    resp, page = await browser.post(
        "/account/gifts", {"to": to, "amount_cents": str(cents), "csrf_token": csrf_from(html)}
    )
    assert resp.status == 303, text_of(page)


async def test_key_page_shows_money_dates_and_supporters_but_no_funder(browsers):
    alice = await signed_up(browsers, name="Alice Secretname", handle="alicesecret")
    carol = await signed_up(browsers, name="Carol Hidden", handle="carolhidden")
    for funder, cents in ((alice, 300), (carol, 125)):
        await top_up(funder, 1_000)
        await give(funder, "github:zoe", cents)
    visitor = await browsers()
    resp, html = await visitor.get("/keys/github:zoe")
    assert resp.status == 200
    text = text_of(html)
    assert "Waiting €4.25" in text and "Supporters 2" in text
    assert "Since 15 November 2026" in text and "Refunds start on 15 May 2027" in text
    assert "November 2026 €4.25 2 15 May 2027" in table_text(html)
    for secret in ("Secretname", "alicesecret", "Hidden", "carolhidden", "@example.org"):
        assert secret not in html, secret
    assert '<a class="button" href="/claims/new?q=github%3Azoe">' in html
    # One address per key: another spelling redirects.
    resp, _ = await visitor.get("/keys/GitHub:Zoe")
    assert resp.status == 301 and resp.headers["Location"] == "/keys/github:zoe"
    resp, html = await visitor.get("/keys/not-a-key")
    assert resp.status == 404 and "Traceback" not in html
    resp, html = await visitor.get("/keys/" + quote("domain:nothing-waits.org"))
    assert resp.status == 200 and "No money is waiting for this key." in text_of(html)


async def test_key_list_is_paginated(browsers, monkeypatch):
    monkeypatch.setattr(escrow, "PAGE_SIZE", 2)
    alice = await signed_up(browsers)
    await top_up(alice, 2_000)
    for name in ("amy", "ben", "cat"):
        await give(alice, f"github:{name}", 100)
    visitor = await browsers()
    _, html = await visitor.get("/keys")
    first = table_text(html)
    assert "github:amy €1.00 1" in first and "github:ben" in first and "github:cat" not in first
    assert 'href="/keys?after=github%3Aben"' in html
    _, html = await visitor.get("/keys?after=github%3Aben")
    assert "github:cat" in table_text(html) and "github:amy" not in table_text(html)
    assert 'rel="next"' not in html
    for secret in ("Alice", alice.email):
        assert secret not in text_of(html)


async def test_a_key_nobody_could_claim_has_no_page(browsers):
    browser = await browsers()
    for raw in ("domain:<script>.org", "domain:co.uk", "friendster:alice", "twitter:home"):
        resp, html = await browser.get("/keys/" + quote(raw, safe=":"))
        assert resp.status == 404, raw
        assert "<script>.org" not in html and "Traceback" not in html


async def test_a_key_that_stands_declined_says_so_and_can_be_claimed(browsers, money_api):
    await app_context(money_api).db.declined_keys.insert_one(
        {"_id": "domain:quiet.example.org", "since": datetime(2026, 10, 1, tzinfo=UTC)}
    )
    visitor = await browsers()
    resp, html = await visitor.get("/keys/domain:quiet.example.org")
    assert resp.status == 200
    assert "The owner of this key declined donations" in text_of(html)
    assert 'href="/claims/new?q=domain%3Aquiet.example.org"' in html  # whoever controls it now
