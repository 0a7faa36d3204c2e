"""The issue's story in Debian's Chromium against `omniflattr serve` (embedded database,
fixed clock, a real DNS server):

November: a funder signs up, tops up (fee shown first), sets a budget (the example updates
as they type), flattrs through the API with a token and once with a page's Flattr button,
changes a weight. December (the service restarted with the clock a month later, on the same
data): an administrator settles November from the admin page and reconciles; the funder
sees the chart of where the money went; the key page shows the escrow; a creator claims the
domain with a DNS record, sees the escrow released and requests a payout.

Screenshots of every page go to test-artifacts/web/ (desktop in English, phone in French).
"""

from __future__ import annotations

import base64
import csv
import io
import json
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from tests.e2e.web.conftest import DESKTOP, PHONE
from tests.support.dns import dns_server  # noqa: F401 - the session fixture
from tests.support.service import free_port, http, running_service, wait_for_indexes

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "correct horse battery"
ADMIN = "admin@example.org"
FUNDER = "funder@example.org"
CREATOR = "creator@example.org"
DOMAIN = "omniflattr-web-e2e.org"
CHALLENGE = f"_omniflattr-challenge.{DOMAIN}"
NOVEMBER = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)
DECEMBER = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


@contextmanager
def service_at(data_dir, dns, moment: datetime):
    closed = f"127.0.0.1:{free_port()}"
    env = {
        "OMNIFLATTR_NOW": iso(moment),
        "OMNIFLATTR_ADMIN_EMAILS": ADMIN,
        "OMNIFLATTR_DNS_NAMESERVERS": dns.nameserver,
        "OMNIFLATTR_CRAWL_HOST_MAP": f"{DOMAIN}={closed},www.{DOMAIN}={closed}",
        # The admin page settles the month here, not the background task.
        "OMNIFLATTR_LEDGER_FIRST_DELAY_S": "3600",
    }
    with running_service(data_dir, "--no-crawler", env=env) as service:
        wait_for_indexes(service)
        yield service


def api(service, method: str, path: str, body=None, token=None, basic=None):
    headers = {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if basic:
        headers["Authorization"] = "Basic " + base64.b64encode(basic.encode()).decode()
    status, _, raw = http(method, service.url + path, body, headers, timeout=30)
    return status, json.loads(raw) if raw else None


def text(page, selector: str) -> str:
    """The visible text of an element, no-break spaces read as spaces."""
    return page.inner_text(selector).replace("\u00a0", " ").replace("\u202f", " ")


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def sign_up(page, base: str, email: str, name: str, handle: str) -> None:
    page.goto(base + "/signup")
    page.fill("#f-email", email)
    page.fill("#f-display_name", name)
    page.fill("#f-handle", handle)
    page.fill("#f-password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/account")


def sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/signin")
    page.fill("#f-email", email)
    page.fill("#f-password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/account")


def test_fund_settle_claim_and_get_paid(tmp_path, chromium, shots, dns_server):  # noqa: F811
    data = tmp_path / "var"
    desktop = chromium.new_context(viewport=DESKTOP, locale="en-GB")
    phone = chromium.new_context(
        viewport=PHONE,
        locale="fr-FR",
        extra_http_headers={"Accept-Language": "fr-FR,fr;q=0.9"},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    try:
        with service_at(data, dns_server, NOVEMBER) as service:
            november(service, desktop, phone, shots)
        with service_at(data, dns_server, DECEMBER) as service:
            december(service, desktop, phone, shots, dns_server)
    except Exception:
        for number, open_page in enumerate(desktop.pages + phone.pages):
            open_page.screenshot(path=shots / f"failure-{number}.png", full_page=True)
        raise
    finally:
        dns_server.remove(CHALLENGE)
        desktop.close()
        phone.close()


def november(service, desktop, phone, shots) -> None:
    base = service.url
    page = desktop.new_page()
    sign_up(page, base, FUNDER, "Fiona Funder", "fiona")

    # Top up: the fee is shown before anything is paid.
    page.goto(base + "/account/topup")
    page.fill("#f-amount", "50")
    page.check("#method-card")
    page.click("text=See the fee")
    page.wait_for_selector("#quote")
    quote = text(page, "#quote")
    assert "€50.00" in quote and "−€1.30" in quote and "€48.70" in quote
    page.screenshot(path=shots / "topup-quote.png", full_page=True)
    page.click("#quote button[type=submit]")
    page.wait_for_url(base + "/account/topup")
    assert "€48.70 were added to your balance." in text(page, ".flash")

    # The budget: the example follows the amounts as they are typed.
    page.goto(base + "/account/budget")
    page.fill("#f-monthly", "3")
    expect(page.locator("#budget-example")).to_contain_text("€3.00")
    page.fill("#f-minimum", "0.25")
    expect(page.locator("#budget-example")).to_contain_text("€5.00")
    page.screenshot(path=shots / "budget-live.png", full_page=True)
    page.fill("#f-minimum", "")
    page.click("button[value=save]")
    page.wait_for_url(base + "/account/budget")
    assert "Your monthly budget is now €3.00." in text(page, ".flash")

    # Flattr through the API with a token, as the extension does.
    status, body = api(
        service, "POST", "/api/v1/tokens", {"scope": "full"}, basic=f"{FUNDER}:{PASSWORD}"
    )
    assert status == 201, body
    token = body["token"]
    for url in (f"https://{DOMAIN}/post-1", "https://www.other-site.org/video"):
        status, body = api(service, "POST", "/api/v1/flattrs", {"url": url}, token=token)
        assert status == 201, body
    # And once with the button of a page (/flattr?url=), weight 2.
    page.goto(base + "/flattr?url=" + f"https%3A%2F%2F{DOMAIN}%2Fpost-2")
    page.select_option("#f-weight", "2")
    page.screenshot(path=shots / "flattr-button.png", full_page=True)
    page.click("button.flattr-button")
    page.wait_for_selector(".flash-success")
    assert "Flattred!" in text(page, "main")

    page.goto(base + "/account/flattrs")
    rows = page.locator("table.flattr-table tbody tr")
    assert rows.count() == 3
    # 3.00 € over weights 1 + 1 + 2: 75 ct, 75 ct and 1.50 €.
    table = text(page, "table.flattr-table")
    assert table.count("75 ct") == 2 and "€1.50" in table
    page.screenshot(path=shots / "flattrs.png", full_page=True)

    # The widget shows a live badge of a page (one flattr already).
    page.goto(base + f"/widget?items=https%3A%2F%2F{DOMAIN}%2Fpost-1")
    badge = page.locator(".badge-preview img")
    badge.wait_for()
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", badge.element_handle())
    page.screenshot(path=shots / "widget-badge.png", full_page=True)

    # French on a phone: the budget page and the flattrs page fit the screen.
    mobile = phone.new_page()
    sign_in(mobile, base, FUNDER)
    for path, name in (
        ("/account/budget", "phone-budget-fr.png"),
        ("/account/flattrs", "phone-flattrs-fr.png"),
    ):
        mobile.goto(base + path)
        assert mobile.get_attribute("html", "lang") == "fr"
        assert no_sideways_scroll(mobile), path
        mobile.screenshot(path=shots / name, full_page=True)
    mobile.close()

    # The creator and the administrator have accounts too.
    creator = desktop.new_page()
    creator.context.clear_cookies()
    sign_up(creator, base, CREATOR, "Cara Creator", "cara")
    creator.context.clear_cookies()
    sign_up(creator, base, ADMIN, "Ada Admin", "ada")
    creator.close()
    page.close()


def december(service, desktop, phone, shots, dns) -> None:
    base = service.url
    desktop.clear_cookies()
    page = desktop.new_page()

    # The administrator settles November and follows its progress.
    sign_in(page, base, ADMIN)
    page.goto(base + "/admin")
    assert page.input_value("#f-month") == "2026-11"
    page.click("text=Settle this month")
    page.wait_for_url(base + "/admin/settlements/2026-11")
    expect(page.locator("meta[http-equiv=refresh]")).to_have_count(0, timeout=60_000)
    result = text(page, "main")
    assert "done" in result and "1 of 1 funders settled" in result
    assert "Spent by funders\t€3.00" in result or "Spent by funders €3.00" in result
    page.screenshot(path=shots / "admin-settlement.png", full_page=True)
    page.goto(base + "/admin")
    page.click("text=Reconcile now")
    page.wait_for_url(base + "/admin#reconcile")
    assert "the books are right" in text(page, "#reconcile")
    page.screenshot(path=shots / "admin.png", full_page=True)

    # The funder sees where November's money went, as a chart and a table.
    desktop.clear_cookies()
    sign_in(page, base, FUNDER)
    page.goto(base + "/account/months")
    assert page.locator("svg.chart-svg").count() == 1
    page.screenshot(path=shots / "months.png", full_page=True)
    page.goto(base + "/account/months/2026-11")
    detail = text(page, "main")
    assert f"domain:{DOMAIN}" in detail and "€2.25" in detail and "€0.75" in detail
    page.screenshot(path=shots / "month.png", full_page=True)
    with page.expect_download() as download:
        page.click("text=Download the statement (what you gave)")
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text())))
    assert sum(int(r["amount_cents"]) for r in rows if r["kind"] == "flattr") == -300

    # Anyone sees the money waiting for the domain, never who gave it.
    desktop.clear_cookies()
    page.goto(base + "/keys")
    page.screenshot(path=shots / "keys.png", full_page=True)
    page.click(f"text=domain:{DOMAIN}")
    key_page = text(page, "main")
    assert "€2.25" in key_page and "Fiona" not in key_page and "fiona" not in key_page
    page.screenshot(path=shots / "key.png", full_page=True)

    # The creator claims the domain with a DNS record and gets the escrow, once.
    page.click("text=Claim this key")
    page.fill("#f-email", CREATOR)
    page.fill("#f-password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/claims/new" in url)
    page.screenshot(path=shots / "claim-new.png", full_page=True)
    page.click(f"text=Claim domain:{DOMAIN}")
    page.wait_for_selector("#claim-token")
    token = text(page, "#claim-token")
    assert text(page, "#dns-value") == f"token={token}"
    page.screenshot(path=shots / "claim-instructions.png", full_page=True)
    page.click("#check button[type=submit]")
    page.wait_for_selector(".finding-list")
    assert "Not found" in text(page, ".findings")
    page.screenshot(path=shots / "claim-not-found.png", full_page=True)
    dns.set_txt(CHALLENGE, f"token={token}")
    page.click("#check button[type=submit]")
    page.wait_for_selector(".flash-success")
    flash = text(page, ".flash-success")
    # 2.25 € waited; the 10 % commission (22.5 ct) rounds half up to 23 ct: 2.02 € remain.
    assert "is verified" in flash and "€2.02" in flash, flash
    page.screenshot(path=shots / "claim-verified.png", full_page=True)
    page.goto(base + "/claims")
    page.screenshot(path=shots / "claims.png", full_page=True)

    page.goto(base + "/account/income")
    assert "€2.02" in text(page, "main")
    page.fill("#f-amount", "2")
    page.click("form[action='/account/payouts'] button[type=submit]")
    page.wait_for_selector(".flash-success")
    assert "€2.00 are on their way to you." in text(page, ".flash-success")
    assert "2 ct" in text(page, ".stats")
    page.screenshot(path=shots / "income.png", full_page=True)
    page.goto(base + "/account/ngo")
    page.screenshot(path=shots / "ngo.png", full_page=True)
    page.goto(base + "/account")
    page.screenshot(path=shots / "account-overview.png", full_page=True)

    # The funder's November now says where the escrow went since.
    desktop.clear_cookies()
    sign_in(page, base, FUNDER)
    page.goto(base + "/account/months/2026-11")
    assert "waited in escrow, since released to the creator" in text(page, "main")
    page.screenshot(path=shots / "month-after-claim.png", full_page=True)

    # A gift, checked before it is sent, and a subscription, both from the pages.
    page.goto(base + "/account/gifts")
    page.fill("#f-to", "https://www.other-site.org/video")
    page.fill("#f-amount", "5")
    page.click("text=Check who gets it")
    page.wait_for_selector(".quote")
    assert "domain:other-site.org" in text(page, ".quote")
    page.screenshot(path=shots / "gift-confirm.png", full_page=True)
    page.click(".quote button[type=submit]")
    page.wait_for_selector(".flash-success")
    assert "Your gift of €5.00 was sent to domain:other-site.org." in text(page, ".flash")
    past = text(page, "table.stack-table")
    assert "€5.00" in past and "waiting in escrow" in past
    page.screenshot(path=shots / "gifts.png", full_page=True)
    page.goto(base + "/account/subscriptions")
    page.fill("#f-url", f"https://{DOMAIN}/podcast")
    page.select_option("#f-months", "6")
    page.click("form[action='/account/subscriptions'] button[type=submit]")
    page.wait_for_selector(".flash-success")
    assert "6 months in all" in text(page, ".flash")
    assert f"https://{DOMAIN}/podcast" in text(page, "table.stack-table")
    page.screenshot(path=shots / "subscriptions.png", full_page=True)
    page.goto(base + "/account/budget")
    page.screenshot(path=shots / "budget.png", full_page=True)

    # The funder's pages in French on a phone.
    phone.clear_cookies()
    mobile = phone.new_page()
    sign_in(mobile, base, FUNDER)
    for path, name in (
        ("/account/months", "phone-months-fr.png"),
        ("/account/months/2026-11", "phone-month-fr.png"),
        ("/account/gifts", "phone-gifts-fr.png"),
        ("/account/subscriptions", "phone-subscriptions-fr.png"),
        ("/account/topup", "phone-topup-fr.png"),
    ):
        mobile.goto(base + path)
        assert no_sideways_scroll(mobile), path
        mobile.screenshot(path=shots / name, full_page=True)
    mobile.close()

    # French on a phone: the claim and income pages, and the key page.
    phone.clear_cookies()
    mobile = phone.new_page()
    sign_in(mobile, base, CREATOR)
    for path, name in (
        ("/claims", "phone-claims-fr.png"),
        ("/account/income", "phone-income-fr.png"),
        (f"/keys/domain:{DOMAIN}", "phone-key-fr.png"),
        ("/claims/new?q=github%3Acara", "phone-claim-new-fr.png"),
    ):
        mobile.goto(base + path)
        assert no_sideways_scroll(mobile), path
        mobile.screenshot(path=shots / name, full_page=True)
    mobile.close()
    page.close()
