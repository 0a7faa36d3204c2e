"""Connected extensions (list, revoke) and the pairing page the extension opens.

Pairing (docs/architecture.md): the extension opens `/connect?state=<nonce>&label=<name>`;
the signed-in person approves with a CSRF-checked POST; the answer is a 303 to
`/connect/done#token=<token>&state=<nonce>`. The token travels only in the fragment,
which browsers never send to a server; `/connect/done` itself never sees it.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from aiohttp import web

from registry_service.accounts import service
from registry_service.api.errors import BadRequest, NotFound
from registry_service.ledger.gifts import EXTENSION_GIFT_MAX_CENTS
from registry_service.web.routing import Page, WebRoutes

routes = WebRoutes()

EXTENSION_SCOPE = "extension"
STATE_RE = re.compile(r"^[A-Za-z0-9_-]{8,128}$")
MAX_LABEL = 100


def check_state(raw: str) -> str:
    """The extension's nonce: a short url-safe string, echoed back untouched."""
    if not STATE_RE.match(raw):
        raise BadRequest(
            "invalid_state",
            "This connection link is broken (its state is missing or malformed); "
            "start connecting again from the extension.",
        )
    return raw


def clean_label(raw: str, default: str) -> str:
    label = "".join(ch for ch in raw if ch.isprintable()).strip()[:MAX_LABEL]
    return label or default


@routes.get("/account/extensions", access="account", name="extensions")
async def extensions(page: Page) -> web.StreamResponse:
    tokens = await service.list_tokens(page.context, page.account_id)
    connected = [doc for doc in tokens if doc["scope"] == EXTENSION_SCOPE]
    return await page.render(
        "extensions.html",
        page_title=page.t("extensions.title"),
        connected=connected,
        gift_max_cents=EXTENSION_GIFT_MAX_CENTS,
    )


@routes.post("/account/extensions/{token_id}/revoke", access="account")
async def revoke(page: Page) -> web.StreamResponse:
    token_id = page.request.match_info["token_id"]
    tokens = await service.list_tokens(page.context, page.account_id)
    # Only extension tokens are managed here; anything else is "not found" for this page.
    if not any(str(doc["_id"]) == token_id and doc["scope"] == EXTENSION_SCOPE for doc in tokens):
        raise NotFound("token_not_found", "No such connected extension among yours.")
    await service.revoke_token(page.context, page.account_id, token_id)
    await page.flash("success", "flash.extension_revoked")
    return page.redirect("/account/extensions")


@routes.get("/connect", access="account", forms=True, name="connect")
async def connect_form(page: Page) -> web.StreamResponse:
    state = check_state(page.field("state"))
    label = clean_label(page.field("label"), page.t("connect.default_label"))
    return await page.render(
        "connect.html",
        page_title=page.t("connect.title"),
        state=state,
        label=label,
        gift_max_cents=EXTENSION_GIFT_MAX_CENTS,
    )


# Relative to /connect, so a service published under a path (https://host/omniflattr/)
# sends the browser to that path's /connect/done, where the extension watches.
DONE = "connect/done"


@routes.post("/connect", access="account")
async def connect(page: Page) -> web.StreamResponse:
    state = check_state(page.field("state"))
    label = clean_label(page.field("label"), page.t("connect.default_label"))
    if page.field("decision") != "approve":
        fragment = urlencode({"error": "access_denied", "state": state})
        return page.redirect(f"{DONE}?denied=1#" + fragment)
    token, _ = await service.issue_token(page.context, page.account_id, EXTENSION_SCOPE, label)
    response = page.redirect(f"{DONE}#" + urlencode({"token": token, "state": state}))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@routes.get("/connect/done", access="public", name="connect_done")
async def connect_done(page: Page) -> web.StreamResponse:
    response = await page.render(
        "connect_done.html",
        page_title=page.t("connect.done_title"),
        denied=page.field("denied") == "1",
    )
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
