"""Changes in a month's closing window go through the funder's fence and are paid as made."""

from __future__ import annotations

from datetime import UTC, datetime

from bson import ObjectId

from registry_service.ledger import fences, flattrs, settlement, store
from registry_service.ledger.migrate import move_funder_months
from registry_service.ledger.reconcile import reconcile
from registry_service.ledger.things import thing_id_for
from tests.conftest import new_account
from tests.integration.ledger.support import context_of, flattr, set_clock, topup


async def listing(api, who: dict, month: str) -> dict:
    resp = await api.get("/api/v1/me/flattrs", params={"month": month}, headers=who["headers"])
    assert resp.status == 200, await resp.text()
    return await resp.json()


async def test_changes_in_the_closing_window_are_paid_as_made(api):
    alice = await new_account(api)
    ctx = context_of(api)
    await topup(api, alice, 10_000)
    set_clock(api, "2026-10-10T12:00:00")
    early_a = await flattr(api, alice, "https://a.org/")
    early_b = await flattr(api, alice, "https://b.org/")
    assert await ctx.db[store.MONTH_FENCES].count_documents({}) == 0  # plain inserts

    set_clock(api, "2026-10-31T23:50:00")  # the last minutes: through the fence
    late_c = await flattr(api, alice, "https://c.org/", weight=2)
    assert (await flattr(api, alice, "https://c.org/", status=200))["already"] is True
    resp = await api.patch(
        f"/api/v1/flattrs/{early_a['id']}", json={"weight": 3}, headers=alice["headers"]
    )
    assert resp.status == 200, await resp.text()
    resp = await api.delete(f"/api/v1/flattrs/{early_b['id']}", headers=alice["headers"])
    assert resp.status == 204
    resp = await api.delete(f"/api/v1/flattrs/{late_c['id']}", headers=alice["headers"])
    assert resp.status == 204
    again_c = await flattr(api, alice, "https://c.org/", weight=4)
    assert again_c["month_flattrs"] == 2
    # The documents themselves were not touched: the fence holds the changes.
    assert await ctx.db[store.FLATTRS].count_documents({"funder": alice["id"]}) == 2
    month = await listing(api, alice, "2026-10")
    assert {(f["url"], f["weight"]) for f in month["flattrs"]} == {
        ("https://a.org/", 3),
        ("https://c.org/", 4),
    }

    set_clock(api, "2026-11-01T00:10:00")
    await settlement.settle(ctx, "2026-10")
    txn = await ctx.db[store.JOURNAL].find_one({"_id": f"settle:{alice['id']}:2026-10"})
    assert {(f["id"], f["weight"]) for f in txn["flattrs"]} == {
        (early_a["id"], 3),
        (again_c["id"], 4),
    }
    assert await reconcile(ctx) == []
    # Settled: no change goes through any more, and nothing is left half-made.
    resp = await api.patch(
        f"/api/v1/flattrs/{early_a['id']}", json={"weight": 1}, headers=alice["headers"]
    )
    assert resp.status == 409 and (await resp.json())["error"]["code"] == "month_settled"
    resp = await api.delete(f"/api/v1/flattrs/{again_c['id']}", headers=alice["headers"])
    assert resp.status == 409
    assert (await listing(api, alice, "2026-10"))["settled"] is True


async def test_a_fence_made_after_the_settlement_read_the_fences_is_withdrawn(api):
    alice = await new_account(api)
    bob = await new_account(api)
    ctx = context_of(api)
    set_clock(api, "2026-10-31T23:58:00")
    await flattr(api, bob, "https://early.org/")  # bob's fence exists before the settlement
    await ctx.db[store.SETTLEMENTS].insert_one({"_id": "2026-10", "phase": "started", "rank": 0})
    # Alice's first change of the window comes after the settlement began: refused, and
    # her fence (made by that change) is withdrawn, so no settlement pays it.
    outcome = await fences.change(
        ctx, "2026-10", alice["id"], {"$addToSet": {"removed": "x"}}, None
    )
    assert outcome is fences.Outcome.CLOSED
    assert await fences.read(ctx, "2026-10", alice["id"]) is None
    # Bob's fence is open until the settlement closes it; then it refuses changes.
    assert await fences.close_month(ctx, "2026-10") == 1
    outcome = await fences.change(ctx, "2026-10", bob["id"], {"$set": {"weights.y": 2}})
    assert outcome is fences.Outcome.CLOSED
    assert set(await fences.closed_fences(ctx, "2026-10")) == {bob["id"]}


def test_merge_applies_the_fence_over_the_documents():
    doc = {"_id": "x1", "thing_id": "t1", "weight": 1}
    tomb = {"_id": "x2", "thing_id": "t2", "weight": 1, "removed": True}
    kept = {"_id": "x3", "thing_id": "t3", "weight": 1}
    fence = {
        "removed": ["x1"],
        "weights": {"x3": 5, "x9": 2},
        "added": {"t1": {"_id": "x1", "thing_id": "t1", "weight": 2}},
    }
    merged = fences.merge([doc, tomb, kept], fence)
    assert {(f["id"], f["weight"]) for f in merged} == {("x1", 2), ("x3", 5)}
    assert fences.merge([doc], {**fence, "withdrawn": True}) == [{**doc, "id": "x1"}]


async def test_month_documents_of_the_former_layout_are_moved(context):
    db = context.db
    funder = f"{7:024x}"
    sub = ObjectId()
    url = "https://moved.org/"
    at = datetime(2026, 9, 3, tzinfo=UTC)
    await db[store.SUBSCRIPTIONS].insert_one(
        {"_id": sub, "funder": funder, "thing_id": thing_id_for("https://sub.org/")}
    )
    entry = {
        "thing_id": thing_id_for(url),
        "url": url,
        "normalized": url,
        "weight": 2,
        "created_at": at,
    }
    await db[store.FUNDER_MONTHS].insert_many(
        [
            {  # settled: keeps the ids its settlement names
                "_id": f"2026-09:{funder}",
                "funder": funder,
                "month": "2026-09",
                "frozen": True,
                "flattrs": [{"id": f"202609{funder}{'a' * 24}", **entry}],
            },
            {
                "_id": f"2026-10:{funder}",
                "funder": funder,
                "month": "2026-10",
                "frozen": False,
                "flattrs": [{"id": f"202610{funder}{'b' * 24}", **entry}],
                "removed_subscriptions": [str(sub)],
            },
        ]
    )
    assert await move_funder_months(db) == 2
    assert await move_funder_months(db) == 0
    assert await db[store.FUNDER_MONTHS].count_documents({}) == 0
    september = await flattrs.month_entries(context, funder, "2026-09")
    assert [(f["id"], f["weight"]) for f in september] == [(f"202609{funder}{'a' * 24}", 2)]
    october = await flattrs.month_entries(context, funder, "2026-10")
    assert [f["id"] for f in october] == [store.flattr_id("2026-10", funder, entry["thing_id"])]
    tombstone = await db[store.FLATTRS].find_one({"removed": True})
    assert tombstone["subscription"] == str(sub) and tombstone["month"] == "2026-10"
