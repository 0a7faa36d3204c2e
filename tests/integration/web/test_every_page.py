"""Every page answers in both languages, and no input posted to any form is a 500."""

from __future__ import annotations

import re

import pytest

from registry_service.web.routing import SAFE_METHODS, WEB_ROUTES
from tests.integration.web.conftest import ADMIN_EMAIL, csrf_from, signed_up, top_up

PAGES = [
    "/",
    "/account",
    "/account/topup",
    "/account/topup?amount=20&method=card",
    "/account/budget",
    "/account/flattrs",
    "/account/flattrs?month=2026-10",
    "/account/subscriptions",
    "/account/gifts",
    "/account/gifts?to=github%3Aalice&amount=5",
    "/account/months",
    "/account/months/2026-10",
    "/account/income",
    "/account/ngo",
    "/account/extensions",
    "/claims",
    "/claims/new",
    "/claims/new?q=domain%3Aexample.org",
    "/claims/new?q=https%3A%2F%2Fblog.example.org%2Fpost",
    "/keys",
    "/keys/domain:example.org",
    "/flattr?url=https%3A%2F%2Fexample.org%2Fa",
    "/widget?items=https%3A%2F%2Fexample.org%2Fa%20%40alice",
    "/admin",
    "/admin/settlements/2026-10",
]

# Values a careless or hostile visitor may post into any field.
GARBAGE = ["", " ", "-5", "1e3", "0", "€€", "9" * 40, "<script>x</script>", "\x00", "é" * 300]


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_every_page_renders(browsers, lang):
    admin = await signed_up(browsers, email=ADMIN_EMAIL, name="Boss")
    await top_up(admin, 2_000)
    for path in PAGES:
        resp, html = await admin.get(path, headers={"Accept-Language": lang})
        assert resp.status == 200, (path, html[:3000])
        assert f'<html lang="{lang}">' in html
        assert "Traceback" not in html


async def test_no_input_is_a_server_error(money_api, browsers):
    """The general rule: whatever reaches any form (with a valid CSRF token), the answer
    is a page, never a 500."""
    admin = await signed_up(browsers, email=ADMIN_EMAIL, name="Boss")
    _, html = await admin.get("/account")
    token = csrf_from(html)
    routes = [r for r in money_api.app[WEB_ROUTES] if r.method not in SAFE_METHODS]
    fields = {
        "amount",
        "amount_cents",
        "fee_cents",
        "method",
        "monthly",
        "minimum",
        "cap",
        "action",
        "weight",
        "url",
        "months",
        "to",
        "key",
        "q",
        "proof_url",
        "reason",
        "path_prefix",
        "creator",
        "host",
        "organisation",
        "website",
        "registration",
        "message",
        "month",
        "state",
        "label",
        "decision",
    }
    for route in routes:
        if route.path in ("/signout", "/account/password"):
            continue  # would sign this browser out / is rate-limited per account
        path = re.sub(r"\{[a-z_]+\}", "0" * 24, route.path)
        for value in GARBAGE:
            data = {name: value for name in fields}
            resp, body = await admin.post(path, {**data, "csrf_token": token})
            assert resp.status < 500, (path, value, body[:2000])
            assert "Traceback" not in body
