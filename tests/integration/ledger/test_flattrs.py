"""Flattrs through the API: response shape, once per month, undo, late binding, limits."""

from __future__ import annotations

import asyncio

from registry_service.ledger import flattrs, store
from tests.conftest import new_account
from tests.integration.ledger.support import (
    admin,
    claim,
    context_of,
    flattr,
    set_clock,
    settle_by_admin,
    topup,
)

SHAPE = {
    "id",
    "already",
    "url",
    "thing_id",
    "normalized",
    "month",
    "weight",
    "key",
    "keys",
    "source",
    "pending",
    "claimed",
    "declined",
    "creator",
    "escrow",
    "month_flattrs",
    "projected_per_flattr_cents",
    "also_accepts",
}


async def test_response_shape_and_second_click(api):
    alice = await new_account(api)
    db = context_of(api).db
    await db[store.PAGE_SIGNALS].insert_one(
        {"_id": "https://blog.org/a", "also_accepts": [{"kind": "liberapay", "url": "x"}]}
    )
    first = await flattr(api, alice, "https://Blog.org/a", weight=3)
    assert set(first) >= SHAPE
    assert first["url"] == "https://Blog.org/a"
    assert first["normalized"] == "https://blog.org/a"
    assert first["key"] == "domain:blog.org" and first["keys"] == ["domain:blog.org"]
    assert first["claimed"] is False and first["declined"] is False
    assert first["escrow"]["expires_at"].startswith("2027-05-01")  # Oct settles 1 Nov, + 6
    assert first["also_accepts"] == [{"kind": "liberapay", "url": "x"}]
    assert first["weight"] == 3 and first["month"] == "2026-10" and first["month_flattrs"] == 1

    again = await flattr(api, alice, "https://blog.org/a", weight=5, status=200)
    assert again["already"] is True and again["id"] == first["id"] and again["weight"] == 3
    assert again["month_flattrs"] == 1
    # A crawl was queued at flattr priority.
    job = await db.crawl_jobs.find_one({"_id": "https://blog.org/a"})
    assert job and job["priority"] >= 100


async def test_claimed_page_has_no_escrow_and_declined_key_is_refused(api):
    alice = await new_account(api)
    carol = await new_account(api)
    db = context_of(api).db
    await claim(db, "domain:claimed.org", carol["id"])
    await claim(db, "domain:declined.org", carol["id"], declined=True)
    body = await flattr(api, alice, "https://claimed.org/x")
    assert body["claimed"] is True and body["escrow"] is None
    resp = await api.post(
        "/api/v1/flattrs", json={"url": "https://declined.org/x"}, headers=alice["headers"]
    )
    assert resp.status == 422
    error = (await resp.json())["error"]
    assert error["code"] == "key_declined" and "declined donations" in error["message"]


async def test_bad_input_is_a_clear_4xx(api):
    alice = await new_account(api)
    cases = [
        ({"url": "ftp://x.org/"}, 400, "invalid_url"),
        ({"url": "https://x.org/", "weight": 6}, 400, "invalid_body"),
        ({"url": "https://x.org/", "weight": 0}, 400, "invalid_body"),
        ({"url": "https://x.org/", "weight": 1.5}, 400, "invalid_body"),
        ({"url": "https://x.org/", "weight": True}, 400, "invalid_body"),
        ({"url": "https://x.org/", "hints": [1, 2]}, 400, "invalid_hints"),
        ({"url": "https://x.org/", "hints": {"a": "x" * 9000}}, 400, "hints_too_large"),
        ({"weight": 2}, 400, "invalid_body"),
    ]
    for body, status, code in cases:
        resp = await api.post("/api/v1/flattrs", json=body, headers=alice["headers"])
        assert resp.status == status, (body, await resp.text())
        assert (await resp.json())["error"]["code"] == code
    resp = await api.post("/api/v1/flattrs", json={"url": "https://x.org/"})
    assert resp.status == 401


async def test_hints_are_kept_aside_for_the_crawler(api):
    alice = await new_account(api)
    await flattr(api, alice, "https://hints.org/p")
    db = context_of(api).db
    assert await db.extension_hints.count_documents({}) == 0
    resp = await api.post(
        "/api/v1/flattrs",
        json={"url": "https://hints.org/q", "hints": {"authors": "@a@social.org", "new": 1}},
        headers=alice["headers"],
    )
    assert resp.status == 201
    kept = await db.extension_hints.find_one({"_id": "https://hints.org/q"})
    assert kept["hints"] == {"authors": ["@a@social.org"]}
    # Hints never decide a key: the page's crawl does.
    assert await db.page_signals.find_one({"_id": "https://hints.org/q"}) is None


async def test_weight_undo_listing_and_other_accounts(api):
    alice = await new_account(api)
    bob = await new_account(api)
    boss = await admin(api)
    await topup(api, alice, 5000)
    await api.put("/api/v1/me/budget", json={"monthly_cents": 300}, headers=alice["headers"])
    a = await flattr(api, alice, "https://one.org/")
    b = await flattr(api, alice, "https://two.org/")
    c = await flattr(api, alice, "https://three.org/")

    for method, path, body in [
        ("PATCH", f"/api/v1/flattrs/{a['id']}", {"weight": 2}),
        ("DELETE", f"/api/v1/flattrs/{a['id']}", None),
        ("PATCH", "/api/v1/flattrs/nonsense", {"weight": 2}),
    ]:
        resp = await api.request(method, path, json=body, headers=bob["headers"])
        assert resp.status == 404, await resp.text()

    resp = await api.patch(
        f"/api/v1/flattrs/{a['id']}", json={"weight": 2}, headers=alice["headers"]
    )
    assert resp.status == 200 and (await resp.json())["weight"] == 2
    resp = await api.delete(f"/api/v1/flattrs/{b['id']}", headers=alice["headers"])
    assert resp.status == 204
    resp = await api.delete(f"/api/v1/flattrs/{b['id']}", headers=alice["headers"])
    assert resp.status == 404

    listing = await (await api.get("/api/v1/me/flattrs", headers=alice["headers"])).json()
    assert listing["month"] == "2026-10"
    shares = {f["id"]: f["projected_cents"] for f in listing["flattrs"]}
    assert shares == {a["id"]: 200, c["id"]: 100}  # 300 ct over weights 2 and 1
    assert listing["projected_total_cents"] == 300
    only = await (
        await api.get(
            "/api/v1/me/flattrs", params={"url": "https://three.org"}, headers=alice["headers"]
        )
    ).json()
    assert [f["id"] for f in only["flattrs"]] == [c["id"]]
    bobs = await (await api.get("/api/v1/me/flattrs", headers=bob["headers"])).json()
    assert bobs["flattrs"] == []

    set_clock(api, "2026-11-02T00:00:00")
    await settle_by_admin(api, boss, "2026-10")
    resp = await api.patch(
        f"/api/v1/flattrs/{a['id']}", json={"weight": 3}, headers=alice["headers"]
    )
    assert resp.status == 409 and (await resp.json())["error"]["code"] == "month_settled"
    resp = await api.delete(f"/api/v1/flattrs/{c['id']}", headers=alice["headers"])
    assert resp.status == 409
    # A new click lands in the new month.
    again = await flattr(api, alice, "https://one.org/")
    assert again["month"] == "2026-11" and again["already"] is False


async def test_a_thousand_identical_clicks_make_one_flattr(api):
    alice = await new_account(api)

    async def click():
        resp = await api.post(
            "/api/v1/flattrs",
            json={"url": "https://popular.org/video"},
            headers=alice["headers"],
        )
        return resp.status, (await resp.json())["id"]

    results = await asyncio.gather(*(click() for _ in range(1000)))
    statuses = [s for s, _ in results]
    assert statuses.count(201) == 1 and statuses.count(200) == 999
    assert len({fid for _, fid in results}) == 1
    ctx = context_of(api)
    assert len(await flattrs.month_entries(ctx, alice["id"], ctx.clock.month())) == 1
