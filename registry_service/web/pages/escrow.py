"""Public pages about keys: the money waiting for any key (since when, until when, how many
supporters — never who), and the list of keys with money waiting.

Consent (money.md): before a key is claimed, pages show the key and the amount waiting,
never a name or a picture scraped from somewhere.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from aiohttp import web

from registry_service.api.errors import NotFound
from registry_service.api.ratelimit import RateLimit
from registry_service.claims.keys import KeyRuleError, parse_claim_key
from registry_service.claims.ownership import owner_of
from registry_service.ledger import escrow, escrow_views
from registry_service.resolve.keys import ACCOUNT_NAMESPACE, normalize_key
from registry_service.web import store
from registry_service.web.routing import Page, WebRoutes

routes = WebRoutes()

PAGE_SIZE = 50
MAX_CURSOR = 340


def waiting_by_month(lots: list[dict]) -> list[dict]:
    """Open lots grouped by the month they came from: amount, supporters, refund date."""
    months: dict[str, dict] = {}
    for lot in lots:
        row = months.setdefault(
            lot["month"],
            {"month": lot["month"], "cents": 0, "funders": set(), "expires_at": lot["expires_at"]},
        )
        row["cents"] += lot["cents"]
        row["funders"].add(lot["funder"])
        row["expires_at"] = min(row["expires_at"], lot["expires_at"])
    return [
        {
            "month": row["month"],
            "cents": row["cents"],
            "supporters": len(row["funders"]),
            "expires_at": row["expires_at"],
        }
        for row in sorted(months.values(), key=lambda r: r["month"])
    ]


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@routes.get("/keys/{key}", access="public", rate=RateLimit(120, 60), name="key")
async def key_page(page: Page) -> web.StreamResponse:
    raw = page.request.match_info["key"]
    key = normalize_key(raw) if ":" in raw else None
    if key is None:
        raise NotFound("key_not_found", f"{raw!r} is not a creator key like domain:example.org.")
    if key != raw:  # one address per key
        response = page.redirect("/keys/" + quote(key, safe=":@"))
        response.set_status(301)
        return response
    owner = await owner_of(page.context.db, key)
    if key.startswith(ACCOUNT_NAMESPACE + ":"):
        if owner is None:
            raise NotFound("creator_not_found", f"There is no creator {key} here.")
        return page.redirect("/@" + key.split(":", 1)[1])
    try:
        parse_claim_key(key)  # a page offering "claim it" only for what can be claimed
    except KeyRuleError as exc:
        raise NotFound("key_not_found", exc.message) from None
    creator = (
        await store.account_by_id(page.context.db, owner.account_id)
        if owner and owner.claimed
        else None
    )
    lots = await escrow.open_lots(page.context, key)
    summary = escrow_views.summarize(key, lots)
    return await page.render(
        "key.html",
        page_title=key,
        key=key,
        owner=owner,
        creator_handle=(creator or {}).get("handle"),
        total_cents=summary["total_cents"],
        supporters=summary["supporters"],
        since=min((lot["since"] for lot in lots), default=None),
        first_refund=min((lot["expires_at"] for lot in lots), default=None),
        last_refund=max((lot["expires_at"] for lot in lots), default=None),
        by_month=waiting_by_month(lots),
        escrow_months=page.context.settings.escrow_months,
        is_mine=owner is not None and owner.claimed and owner.account_id == page.account_id,
    )


@routes.get("/keys", access="public", rate=RateLimit(60, 60), name="keys")
async def key_list(page: Page) -> web.StreamResponse:
    after = page.field("after")[:MAX_CURSOR] or None
    listing = await escrow_views.keys_page(page.context, after=after, limit=PAGE_SIZE)
    keys = [
        {
            **row,
            "since": _time(row["since"]),
            "expires_at": _time(row["expires_at"]),
        }
        for row in listing["keys"]
    ]
    return await page.render(
        "keys.html",
        page_title=page.t("keys.list_title"),
        keys=keys,
        next_cursor=listing["next"],
        after=after,
    )
