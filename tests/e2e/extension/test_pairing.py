"""Pairing without copying a secret: the extension opens <service>/connect?state=..., and
reads the token from the /connect/done#token=...&state=... address the service sends that
tab to (architecture.md, "Extension pairing")."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import require_routes


@pytest.fixture(scope="module", autouse=True)
def _routes_landed(landed_routes):
    """Before any browser starts: skip the module while its routes are not on main."""
    require_routes(landed_routes, "GET /me")


def start_pairing(extension):
    options = extension.options()
    with extension.context.expect_page() as opened:
        options.click("#pair")
    tab = opened.value
    tab.wait_for_load_state()
    query = parse_qs(urlsplit(tab.url).query)
    return options, tab, query


def test_pairing_reads_the_token_from_the_tab_it_opened(service, extension, shots):
    account = service.new_account(scope="extension")
    options, tab, query = start_pairing(extension)
    assert tab.url.startswith(f"{service.url}/connect?")
    assert len(query["state"][0]) == 32
    assert query["label"][0].startswith("Omniflattr")

    # An answer with another state (an old tab, someone else's link) is never used.
    tab.goto(f"{service.url}/connect/done#token={account['token']}&state={'0' * 32}")
    expect(options.locator("#notice")).to_contain_text("was not for this request")
    assert (
        extension.js("chrome.storage.local.get('auth').then((s) => s.auth?.token ?? null)") is None
    )
    shots(options, "options-pairing-refused")

    # What the service's approval does: a 303 to /connect/done with the token in the fragment.
    with tab.expect_event("close", timeout=10_000):
        tab.goto(f"{service.url}/connect/done#token={account['token']}&state={query['state'][0]}")
    expect(options.locator("#connection")).to_contain_text(account["email"])
    expect(options.locator("#notice")).to_have_text(f"Connected as {account['email']}.")
    shots(options, "options-connected")


def test_a_pasted_token_that_the_service_refuses_is_not_kept(service, extension):
    options = extension.options()
    options.click("#disconnect")
    options.click("#paste-details summary")
    options.fill("#token", "not-a-real-token-at-all")
    options.click("#paste-form button[type=submit]")
    expect(options.locator("#notice")).to_contain_text("That did not work")
    assert options.is_visible("#pair")
