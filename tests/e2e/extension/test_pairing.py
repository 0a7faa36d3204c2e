"""Pairing without copying a secret: the extension opens <service>/connect?state=..., and
reads the token from the /connect/done#token=...&state=... address the service sends that
tab to (architecture.md, "Extension pairing")."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from .conftest import PASSWORD, extension_copy, launch, require_routes, unique_path


@pytest.fixture(scope="module", autouse=True)
def _routes_landed(landed_routes):
    """Before any browser starts: skip the module while its routes are not on main."""
    require_routes(landed_routes, "GET /me")


def disconnected_options(extension):
    options = extension.options()
    if options.is_visible("#disconnect"):
        options.click("#disconnect")
        options.wait_for_selector("#pair:not([hidden])")
    return options


def start_pairing(extension):
    """Click "Connect": the tab the extension opened, and the state it is waiting for."""
    options = disconnected_options(extension)
    with extension.context.expect_page() as opened:
        options.click("#pair")
    tab = opened.value
    tab.wait_for_load_state()
    pairing = extension.js("chrome.storage.session.get('pairing').then((s) => s.pairing)")
    return options, tab, pairing["state"]


def test_pairing_reads_the_token_from_the_tab_it_opened(service, extension, shots):
    account = service.new_account(scope="extension")
    options, tab, state = start_pairing(extension)
    # The connect page, or the sign-in page that leads back to it, carries our state.
    assert tab.url.startswith(service.url)
    assert state in unquote(tab.url)
    assert len(state) == 32

    # An answer with another state (an old tab, someone else's link) is never used.
    tab.goto(f"{service.url}/connect/done#token={account['token']}&state={'0' * 32}")
    expect(options.locator("#notice")).to_contain_text("was not for this request")
    assert (
        extension.js("chrome.storage.local.get('auth').then((s) => s.auth?.token ?? null)") is None
    )
    shots(options, "options-pairing-refused")

    # What the service's approval does: a 303 to /connect/done with the token in the fragment.
    with tab.expect_event("close", timeout=10_000):
        tab.goto(f"{service.url}/connect/done#token={account['token']}&state={state}")
    expect(options.locator("#connection")).to_contain_text(account["email"])
    expect(options.locator("#notice")).to_have_text(f"Connected as {account['email']}.")
    shots(options, "options-connected")


def test_a_pasted_token_that_the_service_refuses_is_not_kept(service, extension):
    options = disconnected_options(extension)
    options.click("#paste-details summary")
    options.fill("#token", "not-a-real-token-at-all")
    options.click("#paste-form button[type=submit]")
    expect(options.locator("#notice")).to_contain_text("That did not work")
    assert options.is_visible("#pair")


def test_pairing_through_the_service_connect_page(service, extension, landed_routes, shots):
    require_routes(landed_routes, "GET /connect", "POST /connect", "GET /connect/done")
    account = service.new_account(scope="full")
    options, tab, _state = start_pairing(extension)
    # Not signed in yet: the service asks who you are, then what to allow.
    tab.fill("#f-email", account["email"])
    tab.fill("#f-password", PASSWORD)
    tab.click("form[action='/signin'] button[type=submit]")
    tab.wait_for_selector("button[name=decision][value=approve]")
    shots(tab, "service-connect-page")
    with tab.expect_event("close", timeout=10_000):
        tab.click("button[name=decision][value=approve]")
    expect(options.locator("#connection")).to_contain_text(account["email"])
    status, tokens = service.api("GET", "/tokens", token=account["token"])
    assert status == 200
    [paired] = [t for t in tokens["tokens"] if t["label"].startswith("Omniflattr")]
    assert paired["scope"] == "extension"


def test_saying_no_on_the_connect_page_is_shown(service, extension, landed_routes):
    require_routes(landed_routes, "GET /connect", "POST /connect", "GET /connect/done")
    options, tab, _state = start_pairing(extension)  # still signed in to the service
    with tab.expect_event("close", timeout=10_000):
        tab.click("button[name=decision][value=deny]")
    expect(options.locator("#notice")).to_contain_text("you declined the connection")
    assert options.is_visible("#pair")


def test_the_popup_speaks_french_in_a_french_browser(
    service, playwright_instance, page_server, tmp_path, landed_routes, shots
):
    require_routes(landed_routes, "POST /flattrs", "POST /funding", "PUT /me/budget")
    account = service.new_account(scope="full")
    service.api("POST", "/funding", {"amount_cents": 5000, "method": "card"}, account["token"])
    service.api("PUT", "/me/budget", {"monthly_cents": 1050}, account["token"])
    french = launch(
        playwright_instance,
        tmp_path / "profile",
        extension_copy(tmp_path),
        page_server,
        "--lang=fr",
    )
    try:
        french.set_service(service.url)
        french.paste_token(account["token"])
        tab = french.click(french.open(f"http://example.org{unique_path()}"))
        french.wait_badge(tab, "⏳")
        popup = french.popup(tab)
        assert popup.inner_text("#status") == "Flattré ! Merci."
        assert "juin" in popup.inner_text("#escrow-note")  # dates as the messages' language
        assert "10,50\u00a0€" in popup.inner_text("#month")  # and money too
        shots(popup, "popup-escrow-fr")
    finally:
        french.context.close()


def test_changing_the_service_address_forgets_the_connection(service, extension):
    account = service.new_account(scope="extension")
    extension.paste_token(account["token"])
    options = extension.options()
    options.fill("#service-url", "ftp://example.org/")
    options.click("#service-form button[type=submit]")
    expect(options.locator("#notice")).to_have_text(
        "The address must start with http:// or https://."
    )
    other = service.url.replace("127.0.0.1", "localhost") + "/"
    options.fill("#service-url", other)
    options.click("#service-form button[type=submit]")
    expect(options.locator("#notice")).to_have_text("Saved.")
    expect(options.locator("#connection")).to_contain_text("Not connected")
    assert options.is_hidden("#permission-row"), "localhost is allowed without asking"
    assert extension.storage()["settings"]["serviceUrl"] == other.rstrip("/")
    assert service.api("GET", "/me", token=account["token"])[0] == 401, "it was revoked"
    extension.set_service(service.url)
