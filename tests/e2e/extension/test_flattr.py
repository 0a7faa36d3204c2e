"""A toolbar click flattrs the page: the badge, the popup's states, and the database agree."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

import pytest
from bson import ObjectId
from playwright.sync_api import expect

from tests.support.service import ROOT

from .conftest import poll, require_routes, unique_path


@pytest.fixture(scope="module", autouse=True)
def _routes_landed(landed_routes):
    """Before any browser starts: skip the module while its routes are not on main."""
    require_routes(landed_routes, "GET /me", "POST /flattrs")


@pytest.fixture(scope="module")
def funder(service, extension, landed_routes):
    account = service.new_account(scope="full")
    # A budget and a balance, so the popup has a month to project.
    if "POST /funding" in landed_routes:
        service.api("POST", "/funding", {"amount_cents": 5000, "method": "card"}, account["token"])
    if "PUT /me/budget" in landed_routes:
        service.api("PUT", "/me/budget", {"monthly_cents": 1000}, account["token"])
    return account


def requests_in_log(service, method: str, path_prefix: str) -> int:
    return len(re.findall(rf"\b{method} {re.escape(path_prefix)}\S* \d{{3}}", service.log()))


@pytest.fixture
def connected(service, extension, funder):
    """The extension holds a token of the funder (each test can run on its own)."""
    if not extension.js("chrome.storage.local.get('auth').then((s) => !!s.auth?.token)"):
        extension.paste_token(service.new_token(funder["email"], scope="full"))
    return funder


def test_a_click_while_not_connected_keeps_the_flattr_until_connecting(
    service, extension, funder, shots
):
    options = extension.options()
    if options.is_visible("#disconnect"):
        options.click("#disconnect")
        options.wait_for_selector("#pair:not([hidden])")
    options.close()
    url = f"http://example.org{unique_path()}"
    page = extension.open(url)
    tab = extension.click(page)
    title = extension.wait_badge(tab, "!")
    assert "connect" in title.lower()
    queue = extension.storage()["queue"]
    assert [q["normalized"] for q in queue] == [url]
    assert service.flattrs_of(url) == []
    shots(extension.popup(tab), "popup-not-connected")

    extension.paste_token(service.new_token(funder["email"], scope="full"))
    # Connecting sends what waited: the flattr arrives, and the badge says so.
    poll(lambda: service.flattrs_of(url), what="the queued flattr in the database")
    extension.wait_badge(tab, "⏳")
    assert extension.storage()["queue"] == []


def test_a_click_flattrs_the_page_with_its_head_signals(service, extension, connected, shots):
    url = f"http://example.org{unique_path()}?utm_source=feed&b=2&a=1#comments"
    page = extension.open(url)
    posts_before = requests_in_log(service, "POST", "/api/v1/flattrs")
    tab = extension.click(page)
    title = extension.wait_badge(tab, "⏳")
    assert "domain:example.org" in title
    normalized = url.split("?")[0] + "?a=1&b=2"
    [flattr] = service.flattrs_of(normalized)
    assert flattr["weight"] == 1
    assert requests_in_log(service, "POST", "/api/v1/flattrs") == posts_before + 1
    hints = service.db.extension_hints.find_one({"_id": normalized})["hints"]
    assert hints["canonical"] == url.split("?")[0]
    assert hints["authors"] == ["Ada Writer"]
    assert hints["me"] == ["https://mastodon.social/@ada"]
    assert hints["json_ld"][0]["name"] == "Ada Writer"
    assert "creators" not in hints, "a tag in the body is never read"

    popup = extension.popup(tab)
    assert popup.inner_text("#status") == "Flattred! Thank you."
    assert popup.inner_text("#key") == "domain:example.org"
    assert popup.inner_text("#claimed") == "not claimed yet"
    note = popup.inner_text("#escrow-note")
    assert "waits in escrow" in note and re.search(r"\d{4}", note), note
    assert popup.is_visible("#month")
    assert popup.is_checked("input[name=weight][value='1']")
    shots(popup, "popup-escrow")


def test_the_same_page_twice_in_a_month_is_one_flattr(service, extension, connected, shots):
    url = f"http://example.org{unique_path()}"
    first = extension.open(url)
    extension.wait_badge(extension.click(first), "⏳")
    second = extension.open(url)
    tab = extension.click(second)
    title = extension.wait_badge(tab, "⏳")
    assert "already" in title.lower()
    assert len(service.flattrs_of(url)) == 1
    popup = extension.popup(tab)
    assert "Already flattred this month" in popup.inner_text("#status")
    shots(popup, "popup-already")


def test_an_address_changed_without_a_load_is_a_new_page(service, extension, connected):
    # A site that moves on with history.pushState (a video site going to the next video):
    # the popup must offer the new page, not show the last click's answer.
    url = f"http://example.org{unique_path()}"
    page = extension.open(url)
    tab = extension.wait_badge(extension.click(page), "⏳") and extension.tab_id(page)
    page.evaluate("history.pushState({}, '', location.pathname + '-next')")
    popup = extension.popup(tab)
    expect(popup.locator("#flattr")).to_be_visible()
    assert len(service.flattrs_of(url)) == 1


def test_a_claimed_key_shows_its_creator(service, extension, connected, shots):
    creator = service.new_account(display_name="Clara Creator")
    key = "domain:example.net"
    service.db.key_owners.insert_one(
        {
            "_id": key,
            "key_sha256": hashlib.sha256(key.encode()).hexdigest(),
            "account_id": ObjectId(creator["id"]),
            "claim_id": ObjectId(),
            "since": datetime.now(UTC),
            "declined": False,
        }
    )
    url = f"http://example.net{unique_path()}"
    page = extension.open(url)
    tab = extension.click(page)
    title = extension.wait_badge(tab, "✓")
    assert key in title
    popup = extension.popup(tab)
    assert popup.inner_text("#claimed") == "claimed"
    assert popup.is_hidden("#escrow-note")
    shots(popup, "popup-claimed")


def test_other_ways_to_support_the_creator_are_linked(service, extension, connected):
    url = f"http://example.org{unique_path()}"
    service.db.page_signals.insert_one(
        {
            "_id": url,
            "final_url": url,
            "fetched_at": datetime.now(UTC),
            "status": 200,
            "also_accepts": [
                {"kind": "liberapay", "url": "https://liberapay.com/ada"},
                {"kind": "monetization", "url": "javascript:alert(1)"},
            ],
        }
    )
    tab = extension.click(extension.open(url))
    extension.wait_badge(tab, "⏳")
    popup = extension.popup(tab)
    links = popup.locator("#also a")
    expect(links).to_have_count(1)  # only web links are ever shown
    assert links.get_attribute("href") == "https://liberapay.com/ada"
    assert links.inner_text() == "Liberapay — liberapay.com"


def test_a_creator_who_declines_donations_is_said_so(service, extension, connected, shots):
    creator = service.new_account(display_name="Dana Decliner")
    key = "domain:news.example.com"
    service.db.key_owners.insert_one(
        {
            "_id": key,
            "key_sha256": hashlib.sha256(key.encode()).hexdigest(),
            "account_id": ObjectId(creator["id"]),
            "claim_id": ObjectId(),
            "since": datetime.now(UTC),
            "declined": True,
        }
    )
    url = f"http://news.example.com{unique_path()}"
    tab = extension.click(extension.open(url))
    title = extension.wait_badge(tab, "!")
    assert "declined" in title
    assert service.flattrs_of(url) == []
    assert extension.storage()["queue"] == [], "a refusal is final: nothing waits"
    popup = extension.popup(tab)
    assert popup.inner_text("#status") == "The creator of this page declines donations."
    shots(popup, "popup-declined")


def test_weight_and_undo_from_the_popup(service, extension, connected, landed_routes):
    require_routes(landed_routes, "PATCH /flattrs/{flattr_id}", "DELETE /flattrs/{flattr_id}")
    url = f"http://example.org{unique_path()}"
    tab = extension.click(extension.open(url))
    extension.wait_badge(tab, "⏳")
    popup = extension.popup(tab)
    # From the keyboard: Tab reaches the weight first, arrow keys change it, quickly.
    popup.keyboard.press("Tab")
    assert popup.evaluate("document.activeElement.name + document.activeElement.value") == "weight1"
    for _ in range(3):
        popup.keyboard.press("ArrowRight")
    poll(lambda: service.flattrs_of(url)[0]["weight"] == 4, what="weight 4 in the database")
    assert popup.evaluate("document.activeElement.value") == "4"
    expect(popup.locator("#status-detail")).to_have_text("Weight set to 4.")
    popup.click("#undo")
    poll(lambda: service.flattrs_of(url) == [], what="the flattr undone in the database")
    expect(popup.locator("#status")).to_have_text("Flattr undone.")
    assert extension.badge(tab)[0] == ""
    popup.click("#flattr")  # changed their mind: flattr it again from the popup
    poll(lambda: service.flattrs_of(url), what="the page flattred again")
    expect(popup.locator("#status")).to_have_text("Flattred! Thank you.")
    extension.wait_badge(tab, "⏳")


def test_subscribe_and_give_from_the_popup(service, extension, connected, shots, landed_routes):
    require_routes(landed_routes, "POST /subscriptions", "POST /gifts")
    url = f"http://example.org{unique_path()}"
    tab = extension.click(extension.open(url))
    extension.wait_badge(tab, "⏳")
    balance_before = service.api("GET", "/me", token=connected["token"])[1]["balance_cents"]
    popup = extension.popup(tab)
    popup.select_option("#months", "6")
    popup.click("#subscribe-form button[type=submit]")
    expect(popup.locator("#status-detail")).to_have_text("Subscribed for 6 months.")
    [subscription] = list(service.db.subscriptions.find({"url": url}))
    assert subscription["months"] == 6
    popup.fill("#amount", "2,5x")
    popup.press("#amount", "Enter")
    expect(popup.locator("#status-detail")).to_have_text("Enter an amount such as 5 or 2.50.")
    popup.fill("#amount", "2,50")
    popup.press("#amount", "Enter")
    expect(popup.locator("#status-detail")).to_have_text("Gift of €2.50 sent.")
    balance_after = service.api("GET", "/me", token=connected["token"])[1]["balance_cents"]
    assert balance_before - balance_after == 250
    shots(popup, "popup-subscribed-and-gift")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("about:blank", "a page the browser keeps to itself"),
        ("file://{root}/README.md", "a file on your computer"),
        ("http://127.0.0.1:{port}/local", "bare IP address"),
    ],
)
def test_pages_that_cannot_be_flattred_send_nothing(
    service, extension, funder, page_server, shots, url, reason
):
    posts_before = requests_in_log(service, "POST", "/api/v1/flattrs")
    page = extension.open(url.format(port=page_server, root=ROOT))
    tab = extension.click(page)
    title = extension.wait_badge(tab, "×")
    assert reason in title
    popup = extension.popup(tab)
    assert popup.inner_text("#status") == "This page cannot be flattred."
    assert reason in popup.inner_text("#status-detail")
    assert requests_in_log(service, "POST", "/api/v1/flattrs") == posts_before
    if url.startswith("about"):
        shots(popup, "popup-unflattrable")


def test_browsing_without_clicking_tells_the_service_nothing(service, extension, funder):
    lines_before = service.log().count("\n")
    for host in ("example.org", "blog.example.org", "news.example.com"):
        extension.open(f"http://{host}{unique_path('quiet')}").close()
    assert service.log().count("\n") == lines_before


def test_disconnect_revokes_and_a_revoked_token_means_not_connected(
    service, extension, funder, shots
):
    first = service.new_token(funder["email"])
    extension.paste_token(first)
    options = extension.options()
    options.click("#disconnect")
    expect(options.locator("#notice")).to_have_text("Disconnected: the token is revoked.")
    assert service.api("GET", "/me", token=first)[0] == 401
    options.close()

    token = service.new_token(funder["email"], scope="extension")
    extension.paste_token(token)
    status, _ = service.api("DELETE", "/tokens/current", token=token)
    assert status == 204
    url = f"http://example.org{unique_path()}"
    tab = extension.click(extension.open(url))
    extension.wait_badge(tab, "!")
    popup = extension.popup(tab)
    assert "revoked" in popup.inner_text("#status")
    assert popup.is_visible("#connect")
    shots(popup, "popup-revoked")
    options = extension.options()
    assert "revoked" in options.inner_text("#connection")
    assert options.is_visible("#pair")
    shots(options, "options-revoked")
    options.close()
    # Nothing was lost: the click waits, and reaches the service once connected again.
    assert [q["normalized"] for q in extension.storage()["queue"]] == [url]
    extension.paste_token(service.new_token(funder["email"]))
    poll(lambda: service.flattrs_of(url), what="the kept flattr after reconnecting")


def test_a_paired_connection_subscribes_and_gives_small_gifts_only(
    service, extension, funder, shots, landed_routes
):
    require_routes(landed_routes, "POST /subscriptions", "POST /gifts")
    extension.paste_token(service.new_token(funder["email"], scope="extension"))
    url = f"http://example.org{unique_path()}"
    tab = extension.click(extension.open(url))
    extension.wait_badge(tab, "⏳")
    popup = extension.popup(tab)
    popup.click("#subscribe-form button[type=submit]")
    expect(popup.locator("#status-detail")).to_have_text("Subscribed for 3 months.")
    assert [s["months"] for s in service.db.subscriptions.find({"url": url})] == [3]
    # A token lifted from a browser must not empty the balance: large gifts are refused.
    popup.fill("#amount", "25")
    popup.press("#amount", "Enter")
    expect(popup.locator("#status-detail")).to_contain_text("a gift is at most 20 €")
    popup.fill("#amount", "2")
    popup.press("#amount", "Enter")
    expect(popup.locator("#status-detail")).to_have_text("Gift of €2.00 sent.")
    assert popup.is_visible("#gift-form")
    shots(popup, "popup-paired-gift-limit")
