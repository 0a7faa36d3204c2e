"""On a verified claim: decline donations (and undo), hand paths of a domain to other
creators (add, list, revoke). Every action goes through the claims package, which checks
that the claim is this account's (404 otherwise) and verified."""

from __future__ import annotations

from aiohttp import web

from registry_service.api.errors import ApiError, TooManyRequests
from registry_service.claims import decline, delegations, service
from registry_service.web.pages.claims import render_claim
from registry_service.web.problems import Problem
from registry_service.web.routing import Page, WebRoutes

routes = WebRoutes()

MAX_REASON = 500


async def _claim(page: Page) -> tuple[str, dict]:
    claim_id = page.request.match_info["claim_id"]
    return claim_id, await service.own_claim(page.context, page.account_id, claim_id)


async def _again(page: Page, claim: dict, errors: dict, status: int) -> web.StreamResponse:
    return await render_claim(page, claim, errors=errors, status=status)


@routes.post("/claims/{claim_id}/decline", access="account", forms=True)
async def claim_decline(page: Page) -> web.StreamResponse:
    claim_id, claim = await _claim(page)
    reason = "".join(ch for ch in page.field("reason") if ch.isprintable())[:MAX_REASON]
    try:
        await decline.decline(page.context, page.account_id, claim_id, reason)
    except TooManyRequests:
        raise
    except ApiError as error:
        return await _again(page, claim, {"form": page.describe(error)}, error.status)
    await page.flash("info", "flash.declined", key=claim["key"])
    return page.redirect(f"/claims/{claim_id}")


@routes.post("/claims/{claim_id}/undecline", access="account", forms=True)
async def claim_undecline(page: Page) -> web.StreamResponse:
    claim_id, claim = await _claim(page)
    try:
        await decline.undecline(page.context, page.account_id, claim_id)
    except ApiError as error:
        return await _again(page, claim, {"form": page.describe(error)}, error.status)
    await page.flash("success", "flash.undeclined", key=claim["key"])
    return page.redirect(f"/claims/{claim_id}")


@routes.post("/claims/{claim_id}/delegations", access="account", forms=True)
async def delegation_add(page: Page) -> web.StreamResponse:
    claim_id, claim = await _claim(page)
    prefix, creator = page.field("path_prefix"), page.field("creator")
    host = page.field("host") or None
    errors: dict[str, Problem] = {}
    status = 422
    if not prefix:
        errors["path_prefix"] = Problem(page.t("forms.required"))
    if not creator:
        errors["creator"] = Problem(page.t("forms.required"))
    if not errors:
        try:
            doc = await delegations.add_delegation(
                page.context, page.account_id, claim_id, prefix, creator, host
            )
        except TooManyRequests:
            raise
        except ApiError as error:
            field = {
                "invalid_path_prefix": "path_prefix",
                "already_delegated": "path_prefix",
                "unknown_creator": "creator",
                "invalid_host": "host",
            }.get(error.code, "form")
            errors[field] = page.describe(error)
            status = error.status
    if errors:
        return await _again(page, claim, errors, status)
    await page.flash(
        "success", "flash.delegated", where=doc["host"] + doc["path_prefix"], key=doc["creator_key"]
    )
    return page.redirect(f"/claims/{claim_id}#delegations")


@routes.post("/claims/{claim_id}/delegations/{delegation_id}/revoke", access="account", forms=True)
async def delegation_revoke(page: Page) -> web.StreamResponse:
    claim_id, _ = await _claim(page)
    doc = await delegations.revoke(
        page.context, page.account_id, claim_id, page.request.match_info["delegation_id"]
    )
    await page.flash("info", "flash.delegation_revoked", where=doc["host"] + doc["path_prefix"])
    return page.redirect(f"/claims/{claim_id}#delegations")
