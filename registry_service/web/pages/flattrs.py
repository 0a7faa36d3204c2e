"""A funder's flattrs: this month's (weights, projected shares, undo), other months'
(what each was paid), subscriptions, and the Flattr button of `/flattr?url=`."""

from __future__ import annotations

from urllib.parse import quote

from aiohttp import web

from registry_service.api.errors import ApiError, BadRequest, TooManyRequests
from registry_service.ledger import clicks, flattrs, funders, resolution, subscriptions
from registry_service.ledger.months import add_months, is_month
from registry_service.ledger.things import ensure_thing
from registry_service.resolve import normalize_url
from registry_service.web.pages.widget import render_flattr_page
from registry_service.web.problems import Problem
from registry_service.web.routing import Page, WebRoutes

routes = WebRoutes()

WEIGHTS = (1, 2, 3, 4, 5)
PERIODS = subscriptions.PERIODS


def parse_weight(raw: str) -> int:
    if raw.strip() not in {str(w) for w in WEIGHTS}:
        raise BadRequest("invalid_weight", "A weight is a whole number from 1 to 5.")
    return int(raw)


def _month_of(page: Page) -> str:
    month = page.field("month") or page.context.clock.month()
    if not is_month(month):
        raise BadRequest("invalid_month", f"{month!r} is not a month like 2026-11.")
    return month


async def _render_flattrs(
    page: Page, month: str, *, errors: dict | None = None, status: int = 200
) -> web.StreamResponse:
    funder = str(page.account_id)
    listing = await clicks.list_month(page.context, funder, month)
    current = page.context.clock.month()
    snap = await funders.snapshot(page.context, funder)
    return await page.render(
        "flattrs.html",
        status=status,
        page_title=page.t("flattrs.title"),
        section="flattrs",
        selected_month=month,
        is_current=month == current,
        editable=not listing["frozen"] and not listing["settled"] and month == current,
        previous_month=add_months(month, -1),
        next_month=add_months(month, 1) if month < current else None,
        listing=listing,
        budget=snap.budget,
        weights=WEIGHTS,
        errors=errors or {},
    )


@routes.get("/account/flattrs", access="account", forms=True, name="flattrs")
async def flattr_list(page: Page) -> web.StreamResponse:
    return await _render_flattrs(page, _month_of(page))


@routes.post("/account/flattrs/{flattr_id}/weight", access="account", forms=True)
async def change_weight(page: Page) -> web.StreamResponse:
    flattr_id = page.request.match_info["flattr_id"]
    funder = str(page.account_id)
    month = (await flattrs.find_own(page.context, funder, flattr_id))["month"]  # 404 if not theirs
    try:
        weight = parse_weight(page.field("weight"))
        await flattrs.change_weight(page.context, funder, flattr_id, weight)
    except ApiError as error:
        return await _render_flattrs(
            page, month, errors={"form": page.describe(error)}, status=error.status
        )
    await page.flash("success", "flash.weight_changed", weight=weight)
    return page.redirect(f"/account/flattrs?month={month}")


@routes.post("/account/flattrs/{flattr_id}/undo", access="account", forms=True)
async def undo(page: Page) -> web.StreamResponse:
    flattr_id = page.request.match_info["flattr_id"]
    funder = str(page.account_id)
    flattr = await flattrs.find_own(page.context, funder, flattr_id)
    month = flattr["month"]
    try:
        await flattrs.undo(page.context, funder, flattr_id)
    except ApiError as error:
        return await _render_flattrs(
            page, month, errors={"form": page.describe(error)}, status=error.status
        )
    await page.flash("success", "flash.flattr_undone", url=flattr["url"])
    return page.redirect(f"/account/flattrs?month={month}")


# --- subscriptions ----------------------------------------------------------------------


async def subscribe(page: Page, url: str, months: int, weight: int) -> dict:
    """What `POST /api/v1/subscriptions` does: refuse declined keys, then subscribe."""
    normalized = normalize_url(url)
    thing_id, _ = await ensure_thing(page.context, normalized)
    current = await resolution.current(page.context, url, normalized, for_flattr=True)
    if current.declined:
        raise clicks.declined_error(current)
    sub, _ = await subscriptions.create(
        page.context,
        str(page.account_id),
        thing_id=thing_id,
        url=url,
        normalized=normalized,
        months=months,
        weight=weight,
    )
    return sub


async def _render_subscriptions(
    page: Page, *, values: dict | None = None, errors: dict | None = None, status: int = 200
) -> web.StreamResponse:
    month = page.context.clock.month()
    subs = await subscriptions.list_for(page.context, str(page.account_id))
    return await page.render(
        "subscriptions.html",
        status=status,
        page_title=page.t("subscriptions.title"),
        section="subscriptions",
        subscriptions=[subscriptions.public(s, month) for s in subs],
        current_month=month,
        periods=PERIODS,
        weights=WEIGHTS,
        values=values or {"url": page.field("url"), "months": "3", "weight": "1"},
        errors=errors or {},
    )


@routes.get("/account/subscriptions", access="account", forms=True, name="subscriptions")
async def subscription_list(page: Page) -> web.StreamResponse:
    return await _render_subscriptions(page)


@routes.post("/account/subscriptions", access="account", forms=True)
async def subscription_create(page: Page) -> web.StreamResponse:
    values = {name: page.field(name) for name in ("url", "months", "weight")}
    errors: dict[str, Problem] = {}
    if values["months"] not in {str(p) for p in PERIODS}:
        errors["months"] = Problem(page.t("subscriptions.choose_period"))
    if not values["url"]:
        errors["url"] = Problem(page.t("forms.required"))
    try:
        weight = parse_weight(values["weight"])
    except ApiError as error:
        errors["weight"] = page.describe(error)
    if not errors:
        try:
            await subscribe(page, values["url"], int(values["months"]), weight)
        except TooManyRequests:
            raise
        except ApiError as error:
            errors["url"] = page.describe(error)
    if errors:
        return await _render_subscriptions(page, values=values, errors=errors, status=422)
    await page.flash("success", "flash.subscribed", months=values["months"])
    return page.redirect("/account/subscriptions")


@routes.post("/account/subscriptions/{subscription_id}/cancel", access="account", forms=True)
async def subscription_cancel(page: Page) -> web.StreamResponse:
    await subscriptions.cancel(
        page.context, str(page.account_id), page.request.match_info["subscription_id"]
    )
    await page.flash("success", "flash.subscription_cancelled")
    return page.redirect("/account/subscriptions")


# --- the Flattr button of /flattr?url= -----------------------------------------------------


def flattr_page_path(url: str) -> str:
    return "/flattr?url=" + quote(url, safe="")


@routes.post("/flattr", access="account", forms=True)
async def flattr_now(page: Page) -> web.StreamResponse:
    """Flattr a page from the site's button, through the ledger's own flattr service."""
    url = page.field("url")
    try:
        weight = parse_weight(page.field("weight", "1"))
        body, created = await clicks.create(page.context, str(page.account_id), url, weight, None)
    except TooManyRequests:
        raise
    except ApiError as error:
        return await render_flattr_page(
            page, url, problem=page.describe(error), status=error.status
        )
    if created:
        await page.flash(
            "success",
            "flash.flattred",
            count=body["month_flattrs"],
            share=page.money(body["projected_per_flattr_cents"]),
        )
    else:
        await page.flash("info", "flash.already_flattred")
    return page.redirect(flattr_page_path(url))
