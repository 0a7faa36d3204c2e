"""Public pages: home, a creator's page (`/@handle`), the language switch."""

from __future__ import annotations

from aiohttp import web

from registry_service.accounts.service import HANDLE_RE
from registry_service.api.errors import NotFound
from registry_service.web import store
from registry_service.web.i18n import LANG_COOKIE, LANGUAGES
from registry_service.web.keys import profile_url
from registry_service.web.redirects import safe_next
from registry_service.web.routing import Page, WebRoutes

routes = WebRoutes()

LANG_COOKIE_AGE = 365 * 24 * 3600


@routes.get("/", access="public", name="home")
async def home(page: Page) -> web.StreamResponse:
    return await page.render("home.html")


@routes.get("/lang/{code}", access="public", name="lang")
async def switch_language(page: Page) -> web.StreamResponse:
    """Remember a language choice (a preference, not a secret: a plain link is enough)."""
    code = page.request.match_info["code"]
    if code not in LANGUAGES:
        raise NotFound("unknown_language", f"There is no {code!r} version of this site.")
    response = page.redirect(safe_next(page.field("next"), default="/"))
    response.set_cookie(
        LANG_COOKIE,
        code,
        max_age=LANG_COOKIE_AGE,
        path="/",
        samesite="Lax",
        secure=not page.context.settings.is_dev_or_test,
    )
    return response


@routes.get("/@{handle}", access="public", name="creator")
async def creator(page: Page) -> web.StreamResponse:
    raw = page.request.match_info["handle"]
    handle = raw.lower()
    account = (
        await store.account_by_handle(page.context.db, handle) if HANDLE_RE.match(handle) else None
    )
    if account is None:
        raise NotFound("creator_not_found", f"There is no creator @{raw} here.")
    if raw != handle:  # one address per creator, so rel="me" checks see the same page
        response = page.redirect(f"/@{handle}")
        response.set_status(301)
        return response
    owned = await store.keys_owned_by(page.context.db, account["_id"])
    keys = [{"key": doc["_id"], "url": profile_url(doc["_id"])} for doc in owned]
    canonical = f"{page.context.settings.base_url}/@{handle}"
    return await page.render(
        "creator.html",
        page_title=account.get("display_name") or f"@{handle}",
        creator=account,
        own_key=f"omniflattr:{handle}",
        keys=keys,
        canonical=canonical,
        is_owner=page.account_id == account["_id"],
    )
