"""The pages in Debian's Chromium against `omniflattr serve`: accounts, pairing, a phone.

Screenshots of every page land in test-artifacts/web/ for a person to look at.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from tests.e2e.web.conftest import DESKTOP, PHONE
from tests.support.service import http

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "correct horse battery"
NEW_PASSWORD = "another fine passphrase"
LONG_LINE = "https://example.org/a-very-long-path/that-goes-on/and-on?comment=1234567890 github:zoe"


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_account_flow_with_extension_pairing(service, chromium, shots):
    context = chromium.new_context(viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    base = service.url

    page.goto(base + "/")
    page.screenshot(path=shots / "home.png", full_page=True)
    # The first Tab reaches the skip link, which moves focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # Sign up: a mistake first, shown next to its field and summarised at the top.
    page.goto(base + "/signup")
    page.fill("#f-email", "not an email")
    page.fill("#f-display_name", "Ada Lovelace")
    page.fill("#f-password", PASSWORD)
    page.click("button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    page.screenshot(path=shots / "signup-errors.png", full_page=True)
    page.fill("#f-email", "ada@example.org")
    page.fill("#f-handle", "ada")
    page.fill("#f-password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/account")
    assert "Welcome, Ada Lovelace!" in page.inner_text(".flash")
    page.screenshot(path=shots / "account.png", full_page=True)

    # Sign out, then pair an extension: the approve page asks to sign in first.
    page.click("text=Sign out")
    page.wait_for_url(base + "/")
    assert "You are signed out." in page.inner_text("main")
    page.goto(base + "/connect?state=e2eNonce_0123456789&label=Chromium%20on%20desk")
    assert urlsplit(page.url).path == "/signin"
    page.screenshot(path=shots / "signin.png", full_page=True)
    page.fill("#f-email", "ada@example.org")
    page.fill("#f-password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: urlsplit(url).path == "/connect")
    assert "Chromium on desk" in page.inner_text("main")
    may = page.inner_text("#can-title + ul").replace("\u00a0", " ")
    assert "subscribe" in may and "at most €20.00 each" in may
    assert "top up your balance or pay money out" in page.inner_text("#cannot-title + ul")
    page.screenshot(path=shots / "connect-approve.png", full_page=True)
    page.click("button[value=approve]")
    page.wait_for_url(lambda url: urlsplit(url).path == "/connect/done")
    fragment = parse_qs(urlsplit(page.url).fragment)
    assert fragment["state"] == ["e2eNonce_0123456789"]
    token = fragment["token"][0]
    assert page.locator("#manual-token").is_visible()  # the paste fallback, filled in the page
    page.screenshot(path=shots / "connect-done.png", full_page=True)
    # The token is a working extension token: it may not list tokens (403, not 401).
    status, _, _ = http(
        "GET", base + "/api/v1/tokens", headers={"Authorization": f"Bearer {token}"}
    )
    assert status == 403

    page.goto(base + "/account/extensions")
    assert "Chromium on desk" in page.inner_text("table")
    page.screenshot(path=shots / "extensions.png", full_page=True)
    page.click("button.danger")
    page.wait_for_url(base + "/account/extensions")
    assert "No extension is connected." in page.inner_text("main")
    status, _, body = http(
        "GET", base + "/api/v1/tokens", headers={"Authorization": f"Bearer {token}"}
    )
    assert status == 401 and json.loads(body)["error"]["code"] == "invalid_token"

    # Change the password, sign out, sign in with the new one.
    page.goto(base + "/account/password")
    page.fill("#f-current", PASSWORD)
    page.fill("#f-new", NEW_PASSWORD)
    page.fill("#f-repeat", NEW_PASSWORD)
    page.screenshot(path=shots / "password.png", full_page=True)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/account")
    assert "password was changed" in page.inner_text(".flash")
    page.click("text=Sign out")
    page.goto(base + "/signin")
    page.fill("#f-email", "ada@example.org")
    page.fill("#f-password", NEW_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/account")

    page.goto(base + "/@ada")
    assert page.inner_text("h1") == "Ada Lovelace"
    page.screenshot(path=shots / "creator.png", full_page=True)
    page.goto(
        base + "/widget?items=https%3A%2F%2Fnews.example.org%2Farticle%2F1%3Fcomment%3D7%20%40ada"
    )
    assert page.locator(".snippet-card").count() == 1
    page.screenshot(path=shots / "widget.png", full_page=True)
    page.goto(base + "/flattr?url=https%3A%2F%2Fblog.example.org%2Fpost")
    page.screenshot(path=shots / "flattr.png", full_page=True)
    page.goto(base + "/no/such/page")
    assert "Page not found" in page.inner_text("h1")
    page.screenshot(path=shots / "error-404.png", full_page=True)
    context.close()


def test_french_and_phone(service, chromium, shots):
    context = chromium.new_context(
        viewport=PHONE,
        locale="fr-FR",
        extra_http_headers={"Accept-Language": "fr-FR,fr;q=0.9"},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    page = context.new_page()
    base = service.url
    page.goto(base + "/")
    assert page.get_attribute("html", "lang") == "fr"
    assert "Comment ça marche" in page.inner_text("main")
    assert _no_sideways_scroll(page)
    page.screenshot(path=shots / "phone-home-fr.png", full_page=True)

    page.goto(base + "/signup")
    page.fill("#f-email", "zoe@example.org")
    page.fill("#f-display_name", "Zoé")
    page.fill("#f-password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/account")
    assert "Bienvenue, Zoé" in page.inner_text(".flash")
    assert _no_sideways_scroll(page)
    page.screenshot(path=shots / "phone-account-fr.png", full_page=True)

    for path, name in [
        ("/connect?state=phoneNonce_12345&label=Firefox", "phone-connect-fr.png"),
        ("/widget?items=" + quote(LONG_LINE), "phone-widget-fr.png"),
        ("/account/password", "phone-password-fr.png"),
    ]:
        page.goto(base + path)
        assert _no_sideways_scroll(page), path
        page.screenshot(path=shots / name, full_page=True)

    # Switch to English with the language link; the choice sticks.
    page.click("a[hreflang=en]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "en"
    page.goto(base + "/")
    assert page.get_attribute("html", "lang") == "en"
    context.close()
