"""The claim wizard (a key or an address -> the key -> token and instructions -> check
now), a creator's claims with their status, history and the escrow each would release."""

from __future__ import annotations

from aiohttp import web

from registry_service.api.errors import ApiError, TooManyRequests
from registry_service.claims import service
from registry_service.claims import store as claims_store
from registry_service.claims.instructions import instructions
from registry_service.claims.keys import ClaimKey, KeyRuleError, parse_claim_key
from registry_service.ledger import escrow_views
from registry_service.resolve import InvalidUrl, get_resolver
from registry_service.resolve.urls import parse_url, strip_www
from registry_service.web import claim_views
from registry_service.web.problems import Problem
from registry_service.web.routing import Page, WebRoutes
from registry_service.web.targets import classify

routes = WebRoutes()

# Fields a claim may not have yet (the page reads them all).
CLAIM_DEFAULTS = {
    "verified_at": None,
    "escrow_released_cents": None,
    "escrow_released_at": None,
    "declined": False,
    "open": False,
    "last_check": None,
}
DOMAIN_SOURCES = ("domain", "subdomain", "meta", "path")


def _parsed(key: str) -> ClaimKey | None:
    try:
        return parse_claim_key(key)
    except KeyRuleError:
        return None


def _claimable(key: str) -> str | None:
    """The key in its claimable spelling, when some method can prove it."""
    try:
        return service.claim_key(key).key
    except ApiError:
        return None


async def candidates_for(page: Page, raw: str) -> tuple[list[str], dict]:
    """The keys a person typing `raw` may mean, and what was understood (for the page).

    A key is checked against the claim rules (errors name the rule); an address is
    resolved like a flattr would be, and the site's own domain keys are offered too when
    the page is not a platform account's.
    """
    target = classify(raw)
    if target.kind == "key":
        return [service.claim_key(target.value).key], {"kind": "key"}
    if target.kind == "invalid":
        raise ApiError("url_or_key", "Give a key or the address of one of your pages.", status=422)
    resolution = await get_resolver(page.context).resolve(target.value, crawl=False)
    found = [k for k in map(_claimable, resolution.keys) if k]
    if resolution.source in DOMAIN_SOURCES:
        host = strip_www(parse_url(resolution.normalized).host)
        for key in (_claimable(f"domain:{host}"), _claimable(resolution.key)):
            if key and key not in found:
                found.append(key)
    return found, {"kind": "url", "resolution": resolution}


async def _render_new(
    page: Page, query: str, *, errors: dict | None = None, status: int = 200
) -> web.StreamResponse:
    keys: list[dict] = []
    understood: dict = {}
    errors = dict(errors or {})
    if query and not errors:
        try:
            found, understood = await candidates_for(page, query)
        except TooManyRequests:
            raise
        except (ApiError, InvalidUrl) as error:
            errors["q"] = page.describe(error)
            status = error.status
        else:
            mine = {
                c["key"]: c for c in await claims_store.claims_of(page.context.db, page.account_id)
            }
            for key in found:
                existing = mine.get(key)
                summary = await escrow_views.key_summary(page.context, key)
                keys.append(
                    {
                        "key": key,
                        "waiting_cents": summary["total_cents"],
                        "supporters": summary["supporters"],
                        "existing": existing if existing and existing.get("open") else None,
                    }
                )
            if not found:
                errors["q"] = Problem(page.t("claims.nothing_to_claim"))
                status = 422
    return await page.render(
        "claim_new.html",
        status=status,
        page_title=page.t("claims.new_title"),
        section="claims",
        q=query,
        candidates=keys,
        understood=understood,
        errors=errors,
    )


@routes.get("/claims/new", access="account", forms=True, name="claim_new")
async def claim_new(page: Page) -> web.StreamResponse:
    return await _render_new(page, page.field("q"))


@routes.post("/claims", access="account", forms=True)
async def claim_create(page: Page) -> web.StreamResponse:
    raw = page.field("key")
    try:
        claim, created = await service.create_claim(page.context, page.account_id, raw)
    except TooManyRequests:
        raise
    except ApiError as error:
        return await _render_new(page, raw, errors={"q": page.describe(error)}, status=error.status)
    if created:
        await page.flash("success", "flash.claim_started", key=claim["key"])
    return page.redirect(f"/claims/{claim['_id']}")


@routes.get("/claims", access="account", name="claims")
async def claim_list(page: Page) -> web.StreamResponse:
    claims = await claims_store.claims_of(page.context.db, page.account_id)
    rows, waiting = [], []
    for claim in claims:
        summary = None
        if claim.get("open"):
            summary = await escrow_views.key_summary(page.context, claim["key"])
        row = {
            "id": str(claim["_id"]),
            "key": claim["key"],
            "status": claim["status"],
            "status_label": claim_views.status_label(page.t, claim),
            "created_at": claim.get("created_at"),
            "last_check": claim_views.check_view(page.t, claim.get("last_check")),
            "waiting_cents": summary["total_cents"] if summary else 0,
            "released_cents": claim.get("escrow_released_cents"),
        }
        rows.append(row)
        if summary and summary["total_cents"] and claim["status"] == "pending":
            waiting.append({**row, "summary": summary})
    notices = await claims_store.notices_of(page.context.db, page.account_id, limit=10)
    return await page.render(
        "claims.html",
        page_title=page.t("claims.title"),
        section="claims",
        claims=rows,
        waiting=waiting,
        notices=notices,
    )


async def delegation_rows(page: Page, claim: dict) -> list[dict]:
    if not claim["key"].startswith("domain:"):
        return []
    docs = await claims_store.delegations_of(page.context.db, claim["_id"])
    return sorted(
        docs, key=lambda d: (d.get("revoked_at") is not None, d["host"], d["path_prefix"])
    )


async def render_claim(
    page: Page,
    claim: dict,
    *,
    fresh: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
) -> web.StreamResponse:
    """One claim: what to publish, what the last check found, its money and its history."""
    key = claim["key"]
    parsed = _parsed(key)
    steps = []
    if claim.get("open") and parsed is not None:
        handle = page.account.get("handle", "")
        steps = instructions(page.context, parsed, claim["token"], handle)
    events = await claims_store.events_of(page.context.db, claim["_id"])
    summary = await escrow_views.key_summary(page.context, key)
    return await page.render(
        "claim.html",
        status=status,
        page_title=key,
        section="claims",
        claim={**CLAIM_DEFAULTS, **claim},
        claim_id=str(claim["_id"]),
        status_label=claim_views.status_label(page.t, claim),
        steps=claim_views.instruction_views(page.t, key.split(":", 1)[0], steps),
        proof_url_field=claim_views.accepts_proof_url(key.split(":", 1)[0]),
        check=fresh or claim_views.check_view(page.t, claim.get("last_check")),
        escrow=summary,
        events=[claim_views.event_view(page.t, e) for e in reversed(events)],
        is_domain=key.startswith("domain:"),
        delegations=await delegation_rows(page, claim),
        errors=errors or {},
        values={"proof_url": page.field("proof_url")},
    )


@routes.get("/claims/{claim_id}", access="account", forms=True, name="claim")
async def claim_page(page: Page) -> web.StreamResponse:
    claim = await service.own_claim(
        page.context, page.account_id, page.request.match_info["claim_id"]
    )
    return await render_claim(page, claim)


@routes.post("/claims/{claim_id}/verify", access="account", forms=True)
async def claim_verify(page: Page) -> web.StreamResponse:
    claim_id = page.request.match_info["claim_id"]
    claim = await service.own_claim(page.context, page.account_id, claim_id)
    proof_url = page.field("proof_url") or None
    try:
        outcome = await service.verify(
            page.context,
            page.account_id,
            claim_id,
            proof_url,
            decline=page.field("decline") == "1",
        )
    except ApiError as error:
        findings = error.extra.get("findings")
        fresh = (
            claim_views.check_view(page.t, {"ok": False, "findings": findings})
            if findings
            else None
        )
        return await render_claim(
            page, claim, fresh=fresh, errors={"form": page.describe(error)}, status=error.status
        )
    updated = outcome.claim
    if updated["status"] == "verified" and outcome.result.ok:
        released = updated.get("escrow_released_cents")
        if claim["status"] != "verified" and released:
            await page.flash(
                "success",
                "flash.claim_verified_released",
                key=updated["key"],
                amount=page.money(released),
            )
        else:
            await page.flash("success", "flash.claim_verified", key=updated["key"])
    else:
        await page.flash("error", "flash.claim_not_verified")
    return page.redirect(f"/claims/{claim_id}#check")


@routes.post("/claims/{claim_id}/withdraw", access="account", forms=True)
async def claim_withdraw(page: Page) -> web.StreamResponse:
    claim_id = page.request.match_info["claim_id"]
    claim = await service.own_claim(page.context, page.account_id, claim_id)
    try:
        await service.withdraw(page.context, page.account_id, claim_id)
    except ApiError as error:
        return await render_claim(
            page, claim, errors={"form": page.describe(error)}, status=error.status
        )
    await page.flash("info", "flash.claim_withdrawn", key=claim["key"])
    return page.redirect("/claims")
