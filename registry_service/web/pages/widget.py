"""The widget: a snippet generator for visible buttons, and the page a button leads to."""

from __future__ import annotations

from urllib.parse import urlencode

from aiohttp import web

from registry_service.ledger import escrow_views, flattrs
from registry_service.resolve import get_resolver
from registry_service.resolve.urls import InvalidUrl, normalize_url
from registry_service.web.keys import profile_url
from registry_service.web.problems import Problem
from registry_service.web.routing import Page, WebRoutes
from registry_service.web.widget import (
    BADGE_PATH,
    FLATTR_PATH,
    InvalidCreator,
    creator_key,
    payment_link,
    snippet,
)

routes = WebRoutes()

MAX_LINES = 50


def _parse_lines(page: Page, text: str) -> tuple[list[dict], list[str]]:
    """Each line: `URL [creator]`. Returns the buttons and the problems, line by line."""
    base = page.context.settings.base_url
    buttons: list[dict] = []
    problems: list[str] = []
    seen: dict[str, str | None] = {}
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_LINES:
        problems.append(page.t("widget.too_many", max=MAX_LINES))
        lines = lines[:MAX_LINES]
    for number, line in enumerate(lines, start=1):
        url, _, creator_raw = line.partition(" ")
        try:
            thing = normalize_url(url)
        except InvalidUrl as error:
            problems.append(page.t("widget.bad_url", line=number, reason=error.message))
            continue
        creator = None
        if creator_raw.strip():
            try:
                creator = creator_key(creator_raw)
            except InvalidCreator:
                problems.append(
                    page.t("widget.bad_creator", line=number, value=creator_raw.strip())
                )
                continue
        if "#" in url:
            problems.append(page.t("widget.fragment", line=number))
        if thing in seen and seen[thing] != creator:
            problems.append(page.t("widget.same_thing", line=number))
        seen[thing] = creator
        alt = page.t("widget.alt_creator", creator=creator) if creator else page.t("widget.alt")
        buttons.append(
            {
                "line": number,
                "snippet": snippet(base, thing, creator, alt),
                "preview_href": FLATTR_PATH + "?" + urlencode({"url": thing}),
                "preview_badge": BADGE_PATH + "?" + urlencode({"url": thing}),
                "alt": alt,
            }
        )
    return buttons, problems


@routes.get("/widget", access="public", name="widget")
async def widget(page: Page) -> web.StreamResponse:
    items = page.field("items")[:20_000]
    buttons, problems = _parse_lines(page, items) if items else ([], [])
    handle = page.account.get("handle") if page.account else None
    base = page.context.settings.base_url
    return await page.render(
        "widget.html",
        page_title=page.t("widget.title"),
        items=items,
        buttons=buttons,
        problems=problems,
        payment_link=payment_link(base, handle) if handle else "",
        handle=handle,
    )


async def _flattred_this_month(page: Page, normalized: str) -> dict | None:
    """The signed-in funder's flattr of this page this month, if any."""
    if page.account is None:
        return None
    entries = await flattrs.month_entries(
        page.context, str(page.account_id), page.context.clock.month()
    )
    return next((f for f in entries if f["normalized"] == normalized), None)


async def render_flattr_page(
    page: Page, raw: str, *, problem: Problem | None = None, status: int = 200
) -> web.StreamResponse:
    """Which creator key this page pays, what waits for it, and the Flattr button."""
    values = {
        "page_title": page.t("flattr.title"),
        "url": raw,
        "resolution": None,
        "profile": None,
        "escrow": None,
        "mine": None,
        "weights": (1, 2, 3, 4, 5),
        "escrow_months": page.context.settings.escrow_months,
        "problem": problem,
        "bad_url": None,
    }
    try:
        resolution = await get_resolver(page.context).resolve(raw, crawl=True)
    except InvalidUrl as error:
        values["bad_url"] = error.message
        return await page.render("flattr.html", status=400, **values)
    values.update(
        resolution=resolution,
        profile=profile_url(resolution.key),
        mine=await _flattred_this_month(page, resolution.normalized),
    )
    if not resolution.claimed and not resolution.declined:
        values["escrow"] = await escrow_views.key_summary(page.context, resolution.key)
    return await page.render("flattr.html", status=status, **values)


@routes.get("/flattr", access="public", forms=True, name="flattr")
async def flattr(page: Page) -> web.StreamResponse:
    """Where a site's button leads: which creator key this page pays, and a Flattr button."""
    return await render_flattr_page(page, page.field("url"))
