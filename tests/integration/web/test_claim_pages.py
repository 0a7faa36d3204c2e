"""The claim wizard and claim pages, against a real DNS server: instructions, check now
(what each method found), escrow released once, decline, delegations, and privacy."""

from __future__ import annotations

import dataclasses
import re

import pytest

from registry_service.ledger import accounts as acct
from registry_service.ledger import journal
from tests.conftest import free_port
from tests.integration.web.conftest import (
    account_of,
    app_context,
    csrf_from,
    signed_up,
    text_of,
    top_up,
)
from tests.support.dns import dns_server  # noqa: F401 - the session fixture

DOMAIN = "web-claim-test.org"
CHALLENGE = f"_omniflattr-challenge.{DOMAIN}"


@pytest.fixture
def money_settings(money_settings, dns_server):  # noqa: F811
    # The site methods meet a closed port (a quick "could not check"); DNS is real.
    closed = ("127.0.0.1", free_port())
    return dataclasses.replace(
        money_settings,
        dns_nameservers=dns_server.nameservers,
        crawl_host_map={DOMAIN: closed, f"www.{DOMAIN}": closed},
    )


@pytest.fixture
def zone(dns_server):  # noqa: F811
    yield dns_server
    dns_server.remove(CHALLENGE)


async def start_claim(browser, query: str) -> tuple[str, str]:
    """Walk the wizard from a key or an address; returns (claim id, claim page)."""
    resp, html = await browser.get("/claims/new?q=" + query)
    assert resp.status == 200, text_of(html)
    key = re.search(r'name="key" value="([^"]+)"', html).group(1)
    resp, _ = await browser.post("/claims", {"key": key, "csrf_token": csrf_from(html)})
    assert resp.status == 303
    claim_id = resp.headers["Location"].rsplit("/", 1)[1]
    resp, html = await browser.get(resp.headers["Location"])
    assert resp.status == 200
    return claim_id, html


async def test_wizard_from_an_address_to_instructions(browsers):
    creator = await signed_up(browsers, name="Creator")
    _, html = await creator.get(f"/claims/new?q=https%3A%2F%2Fwww.{DOMAIN}%2Fblog%2Fpost")
    assert f"domain:{DOMAIN}" in text_of(html)
    claim_id, html = await start_claim(creator, f"www.{DOMAIN}/blog/post")
    token = re.search(r'<code id="claim-token">([A-Z2-7]{32})</code>', html).group(1)
    text = text_of(html)
    assert f"Name {CHALLENGE}" in text and f"Value token={token}" in text
    assert f"https://{DOMAIN}/.well-known/omniflattr-verification" in text
    assert f'<meta name="omniflattr-verification" content="{token}">' in text
    assert "&lt;meta name=&#34;omniflattr-verification" in html, "shown as text, escaped"
    assert 'data-copy-target="dns-value"' in html
    # The same key again: the open claim, not a second one.
    _, again = await creator.get(f"/claims/new?q=domain%3A{DOMAIN}")
    assert f'href="/claims/{claim_id}"' in again and "Continue your claim" in text_of(again)


async def test_wizard_errors_say_why(browsers):
    creator = await signed_up(browsers)
    cases = [
        ("domain%3Aco.uk", "public suffix", "co.uk is a public suffix"),
        ("twitter%3Aalice", "cannot be proved yet", "X (Twitter) keys cannot be proved"),
        ("omniflattr%3Abob", "cannot be claimed", "always belongs to it"),
        ("ftp%3A%2F%2Fexample.org", "cannot be used", "ftp: is not a web page"),
    ]
    for query, message, detail in cases:
        resp, html = await creator.get("/claims/new?q=" + query)
        assert resp.status in (400, 422), query
        text = text_of(html)
        assert message in text and detail in text, (query, text)
    _, html = await creator.get("/claims/new")
    resp, html = await creator.post("/claims", {"key": "domain:", "csrf_token": csrf_from(html)})
    assert resp.status == 422 and "Traceback" not in html


async def test_check_now_shows_findings_then_verifies_and_releases_escrow(
    money_api, browsers, zone
):
    funder = await signed_up(browsers, name="Funder")
    await top_up(funder, 1_000)
    _, html = await funder.get("/account/gifts")
    await funder.post(
        "/account/gifts",
        {"to": f"domain:{DOMAIN}", "amount_cents": "200", "csrf_token": csrf_from(html)},
    )
    creator = await signed_up(browsers, name="Creator")
    claim_id, html = await start_claim(creator, f"domain%3A{DOMAIN}")
    assert "€2.00 waiting, from 1 supporter." in text_of(html)
    token = re.search(r'<code id="claim-token">([A-Z2-7]{32})</code>', html).group(1)

    resp, _ = await creator.post(f"/claims/{claim_id}/verify", {"csrf_token": csrf_from(html)})
    assert resp.status == 303
    _, html = await creator.get(f"/claims/{claim_id}")
    text = text_of(html)
    assert "Not verified yet" in text
    assert f"Not found DNS TXT record — {CHALLENGE}" in text
    assert f"There is no TXT record at {CHALLENGE}" in text

    zone.set_txt(CHALLENGE, "token=SOMEONEELSESTOKEN234567ABCDEFGH")
    await creator.post(f"/claims/{claim_id}/verify", {"csrf_token": csrf_from(html)})
    _, html = await creator.get(f"/claims/{claim_id}")
    assert f"Different token DNS TXT record — {CHALLENGE}" in text_of(html)

    zone.set_txt(CHALLENGE, f"token={token}")
    await creator.post(f"/claims/{claim_id}/verify", {"csrf_token": csrf_from(html)})
    _, html = await creator.get(f"/claims/{claim_id}")
    text = text_of(html)
    assert f"domain:{DOMAIN} is verified: it is yours. €1.80 waiting in escrow went" in text
    assert "€1.80 waiting in escrow for this key were released" in text
    assert "Waiting money released — €1.80" in text  # the claim's history
    creator_id = (await account_of(money_api, creator))["_id"]
    db = app_context(money_api).db
    assert await journal.balance(db, acct.creator_account(creator_id)) == 180
    # Checking again releases nothing more.
    await creator.post(f"/claims/{claim_id}/verify", {"csrf_token": csrf_from(html)})
    assert await journal.balance(db, acct.creator_account(creator_id)) == 180
    _, html = await creator.get("/account/income")
    assert "Your creator balance €1.80" in text_of(html)
    # The funder's gift now says where the escrowed money went.
    _, html = await funder.get("/account/gifts")
    assert "waited in escrow, since released to the creator" in text_of(html)


async def test_findings_in_french_keep_the_exact_english_detail(browsers, zone):
    creator = await signed_up(browsers)
    claim_id, html = await start_claim(creator, f"domain%3A{DOMAIN}")
    await creator.post(f"/claims/{claim_id}/verify", {"csrf_token": csrf_from(html)})
    _, html = await creator.get(f"/claims/{claim_id}", headers={"Accept-Language": "fr"})
    text = text_of(html)
    assert f"Introuvable Enregistrement DNS TXT — {CHALLENGE}" in text
    assert f"Il n'y a encore rien à {CHALLENGE}." in text
    assert re.search(r'<p class="note" lang="en">There is no TXT record at', html)


async def test_another_account_gets_404_for_a_claim(browsers, zone):
    creator = await signed_up(browsers)
    claim_id, _ = await start_claim(creator, f"domain%3A{DOMAIN}")
    mallory = await signed_up(browsers, name="Mallory")
    resp, html = await mallory.get(f"/claims/{claim_id}")
    assert resp.status == 404 and "token=" not in html
    _, page = await mallory.get("/claims")
    token = csrf_from(page)
    for action in ("verify", "withdraw", "decline", "undecline", "delegations"):
        resp, _ = await mallory.post(
            f"/claims/{claim_id}/{action}",
            {"csrf_token": token, "path_prefix": "/x/", "creator": "@x"},
        )
        assert resp.status == 404, action
    resp, _ = await mallory.post(
        f"/claims/{claim_id}/delegations/{'0' * 24}/revoke", {"csrf_token": token}
    )
    assert resp.status == 404
    _, html = await creator.get(f"/claims/{claim_id}")
    assert "Withdraw this claim" in text_of(html), "the claim is untouched"


async def test_decline_delegate_and_withdraw_a_verified_domain(money_api, browsers, zone):
    await signed_up(browsers, name="Bob", handle="bob")
    creator = await signed_up(browsers, name="Creator")
    claim_id, html = await start_claim(creator, f"domain%3A{DOMAIN}")
    token = re.search(r'<code id="claim-token">([A-Z2-7]{32})</code>', html).group(1)
    zone.set_txt(CHALLENGE, f"token={token}")
    await creator.post(f"/claims/{claim_id}/verify", {"csrf_token": csrf_from(html)})
    _, html = await creator.get(f"/claims/{claim_id}")
    csrf = csrf_from(html)

    for data, message in [
        ({"path_prefix": "authors", "creator": "@bob"}, "not a path like /authors/bob/"),
        ({"path_prefix": "/authors/bob/", "creator": "@nobody"}, "no creator with this handle"),
        ({"path_prefix": "/a/", "creator": "@bob", "host": "elsewhere.org"}, "not part of"),
        ({"path_prefix": "", "creator": ""}, "Fill this in."),
    ]:
        resp, page = await creator.post(
            f"/claims/{claim_id}/delegations", {**data, "csrf_token": csrf}
        )
        assert resp.status == 422 and message in text_of(page), (data, text_of(page))
    resp, _ = await creator.post(
        f"/claims/{claim_id}/delegations",
        {"path_prefix": "/authors/bob/", "creator": "@bob", "csrf_token": csrf},
    )
    assert resp.status == 303
    _, html = await creator.get(f"/claims/{claim_id}")
    assert f"{DOMAIN}/authors/bob/ now pays omniflattr:bob." in text_of(html)
    delegation_id = re.search(r"/delegations/([0-9a-f]{24})/revoke", html).group(1)
    resp, _ = await creator.post(
        f"/claims/{claim_id}/delegations/{delegation_id}/revoke", {"csrf_token": csrf}
    )
    assert resp.status == 303
    _, html = await creator.get(f"/claims/{claim_id}")
    assert "taken back on" in text_of(html)

    resp, _ = await creator.post(
        f"/claims/{claim_id}/decline", {"reason": "no thanks", "csrf_token": csrf}
    )
    assert resp.status == 303
    owner = await app_context(money_api).db.key_owners.find_one({"_id": f"domain:{DOMAIN}"})
    assert owner["declined"] is True
    _, html = await creator.get(f"/claims/{claim_id}")
    assert "verified, donations declined" in text_of(html) and "Donations declined" in text_of(html)
    await creator.post(f"/claims/{claim_id}/undecline", {"csrf_token": csrf})
    owner = await app_context(money_api).db.key_owners.find_one({"_id": f"domain:{DOMAIN}"})
    assert owner["declined"] is False
    resp, _ = await creator.post(f"/claims/{claim_id}/withdraw", {"csrf_token": csrf})
    assert resp.status == 303
    assert await app_context(money_api).db.key_owners.find_one({"_id": f"domain:{DOMAIN}"}) is None
    _, html = await creator.get("/claims")
    assert "withdrawn" in text_of(html)


async def test_check_now_can_decline_so_the_waiting_money_goes_back(money_api, browsers, zone):
    funder = await signed_up(browsers, name="Funder")
    await top_up(funder, 1_000)
    _, html = await funder.get("/account/gifts")
    await funder.post(
        "/account/gifts",
        {"to": f"domain:{DOMAIN}", "amount_cents": "200", "csrf_token": csrf_from(html)},
    )
    creator = await signed_up(browsers, name="Creator")
    claim_id, html = await start_claim(creator, f"domain%3A{DOMAIN}")
    assert 'name="decline"' in html
    token = re.search(r'<code id="claim-token">([A-Z2-7]{32})</code>', html).group(1)
    zone.set_txt(CHALLENGE, f"token={token}")
    await creator.post(
        f"/claims/{claim_id}/verify", {"csrf_token": csrf_from(html), "decline": "1"}
    )
    creator_id = (await account_of(money_api, creator))["_id"]
    db = app_context(money_api).db
    assert await journal.balance(db, acct.creator_account(creator_id)) == 0
    claim = await db.claims.find_one({"key": f"domain:{DOMAIN}"})
    assert claim["status"] == "verified" and claim["declined"] is True
    _, html = await funder.get("/account/gifts")
    assert "since returned to you" in text_of(html)
