"""Flattring a page: the service behind POST /flattrs and GET /me/flattrs."""

from __future__ import annotations

from crawlers.hints import submit_hints
from registry_service.api.errors import Unprocessable
from registry_service.context import Context
from registry_service.ledger import fences, flattrs, funders, resolution, store, subscriptions
from registry_service.ledger.budget import month_spend
from registry_service.ledger.cache import TtlCache
from registry_service.ledger.months import add_months_to_time, month_end
from registry_service.ledger.projection import project
from registry_service.ledger.things import count_flattr, ensure_thing
from registry_service.resolve import normalize_url

SIGNALS_SERVICE = "ledger.also_accepts"


def escrow_expiry(context: Context, month: str):
    """When money flattred in `month` to an unclaimed key goes back to its funder."""
    return add_months_to_time(month_end(month), context.settings.escrow_months)


async def also_accepts(context: Context, normalized: str) -> list:
    cache = context.services.get(SIGNALS_SERVICE)
    if cache is None:
        cache = context.services[SIGNALS_SERVICE] = TtlCache(60.0, 50_000)
    found = cache.get(normalized)
    if found is None:
        doc = await context.db[store.PAGE_SIGNALS].find_one(
            {"_id": normalized}, {"also_accepts": 1}
        )
        found = list((doc or {}).get("also_accepts") or [])
        cache.put(normalized, found)
    return found


def declined_error(current: resolution.Current) -> Unprocessable:
    return Unprocessable(
        "key_declined",
        f"The creator behind {current.key} declined donations: this page cannot be flattred.",
    )


async def create(
    context: Context, funder_id: str, url: str, weight: int, hints: dict | None
) -> tuple[dict, bool]:
    """Flattr `url` this month; returns (response body, created)."""
    normalized = normalize_url(url)
    thing_id, _ = await ensure_thing(context, normalized)
    current = await resolution.current(context, url, normalized, for_flattr=True)
    if current.declined:
        raise declined_error(current)
    entry = flattrs.new_entry(context, funder_id, thing_id, url, normalized, weight)
    flattr, created, month = await flattrs.add_flattr(context, funder_id, entry)
    if created:
        count_flattr(context, thing_id, 1)
    if created and hints:
        # The resolver has queued the crawl at flattr priority already.
        await submit_hints(context, normalized, hints, queue_crawl=False)
    count, weights = flattr["_tally"]
    snap = await funders.snapshot(context, funder_id)
    spend = month_spend(snap.budget, weights, snap.balance_cents)
    body = {
        "id": flattr["id"],
        "already": not created,
        "url": url,
        "thing_id": thing_id,
        "normalized": normalized,
        "month": month,
        "weight": flattr["weight"],
        **current.to_json(),
        "escrow": None
        if current.claimed
        else {"expires_at": escrow_expiry(context, month).isoformat()},
        "month_flattrs": count,
        "projected_per_flattr_cents": spend // weights if weights else 0,
        "also_accepts": await also_accepts(context, normalized),
    }
    return body, created


async def list_month(context: Context, funder_id: str, month: str, url: str | None = None) -> dict:
    """The funder's flattrs of `month`, with their current keys and projected (or paid) cents."""
    if month == context.clock.month():
        await subscriptions.materialize_for_funder(context, funder_id, month)
    entries = await flattrs.month_entries(context, funder_id, month)
    settle = await store.journal(context.db).find_one({"_id": f"settle:{funder_id}:{month}"})
    paid = {f["id"]: f for f in (settle or {}).get("flattrs", [])}
    snap = await funders.snapshot(context, funder_id)
    projected = project(snap.budget, snap.balance_cents, entries)
    wanted = normalize_url(url) if url else None
    out = []
    for entry in entries:
        if wanted and entry["normalized"] != wanted:
            continue
        current = await flattrs.current_for(context, entry)
        item = {
            "id": entry["id"],
            "url": entry["url"],
            "normalized": entry["normalized"],
            "thing_id": entry["thing_id"],
            "key": current.key,
            "keys": list(current.keys),
            "claimed": current.claimed,
            "weight": entry["weight"],
            "projected_cents": projected.shares.get(entry["id"], 0),
            "created_at": entry["created_at"].isoformat(),
            "subscription": entry.get("subscription"),
        }
        if settle is not None:
            item["paid_cents"] = paid.get(entry["id"], {}).get("cents", 0)
            item["paid_keys"] = paid.get(entry["id"], {}).get("keys", [])
        out.append(item)
    return {
        "month": month,
        "settled": settle is not None,
        "frozen": settle is not None or await fences.settlement_begun(context, month),
        "flattrs": out,
        "projected_total_cents": sum(i["projected_cents"] for i in out),
        "spent_cents": (
            -sum(p["cents"] for p in settle["postings"] if p["account"].startswith("funder:"))
            if settle
            else None
        ),
    }
