"""Gifts, payouts (never below zero, also concurrently), subscriptions, statements, badges."""

from __future__ import annotations

import asyncio
import csv
import io

from registry_service.ledger import accounts as acct
from registry_service.ledger import settlement
from registry_service.ledger.reconcile import reconcile
from tests.conftest import new_account
from tests.integration.ledger.support import (
    admin,
    balance_of,
    claim,
    context_of,
    creator,
    flattr,
    funder,
    set_clock,
    topup,
)


async def test_gifts_follow_claimed_and_escrow_rules(api):
    alice = await new_account(api)
    carol = await new_account(api)
    ngo = await new_account(api)
    boss = await admin(api)
    db = context_of(api).db
    await topup(api, alice, 10_000)
    await claim(db, "domain:carol.org", carol["id"])
    await claim(db, "domain:ngo.org", ngo["id"])
    await api.put(
        f"/api/v1/admin/accounts/{ngo['id']}/ngo", json={"ngo": True}, headers=boss["headers"]
    )

    resp = await api.post(
        "/api/v1/gifts",
        json={"url": "https://carol.org/x", "amount_cents": 1000},
        headers=alice["headers"],
    )
    assert resp.status == 201, await resp.text()
    assert await balance_of(api, creator(carol)) == 900
    await api.post(
        "/api/v1/gifts",
        json={"key": "domain:ngo.org", "amount_cents": 1000},
        headers=alice["headers"],
    )
    assert await balance_of(api, creator(ngo)) == 1000
    resp = await api.post(
        "/api/v1/gifts",
        json={"key": "domain:nobody.org", "amount_cents": 500},
        headers=alice["headers"],
    )
    body = await resp.json()
    assert body["escrow"] is not None and body["keys"][0]["to"] == "escrow"
    assert await balance_of(api, acct.escrow_account("domain:nobody.org")) == 500
    assert await balance_of(api, funder(alice)) == 9770 - 2500

    for bad, status in [
        ({"key": "domain:x.org", "amount_cents": 100_000}, 422),
        ({"amount_cents": 10}, 400),
        ({"url": "https://a.org/", "key": "domain:a.org", "amount_cents": 10}, 400),
        ({"key": "not a key", "amount_cents": 10}, 400),
        ({"key": "domain:x.org", "amount_cents": 0}, 400),
        # keys nobody could ever claim: the money would wait for no one
        ({"key": "domain:co.uk", "amount_cents": 10}, 422),
        ({"key": "domain:alice.github.io", "amount_cents": 10}, 422),
        ({"key": "friendster:alice", "amount_cents": 10}, 422),
        ({"key": "twitter:home", "amount_cents": 10}, 422),
    ]:
        resp = await api.post("/api/v1/gifts", json=bad, headers=alice["headers"])
        assert resp.status == status, (bad, await resp.text())
    assert await balance_of(api, funder(alice)) == 9770 - 2500

    # A key given in another spelling is the same key, for gifts and for its escrow.
    resp = await api.post(
        "/api/v1/gifts",
        json={"key": "DOMAIN:NoBody.ORG", "amount_cents": 100},
        headers=alice["headers"],
    )
    assert resp.status == 201 and (await resp.json())["keys"][0]["key"] == "domain:nobody.org"
    waiting = await (await api.get("/api/v1/escrow?key=domain:NOBODY.org")).json()
    assert waiting["key"] == "domain:nobody.org" and waiting["total_cents"] == 600


async def test_concurrent_gifts_never_overdraw(api):
    alice = await new_account(api)
    await topup(api, alice, 1030)  # 30 ct + 2 % (20.6 -> 21) of fees
    assert await balance_of(api, funder(alice)) == 979

    async def gift():
        resp = await api.post(
            "/api/v1/gifts",
            json={"key": "domain:g.org", "amount_cents": 100},
            headers=alice["headers"],
        )
        return resp.status

    statuses = await asyncio.gather(*(gift() for _ in range(25)))
    assert statuses.count(201) == 9 and statuses.count(422) == 16
    assert await balance_of(api, funder(alice)) == 79
    assert await reconcile(context_of(api)) == []


async def test_payouts_never_go_below_zero(api):
    carol = await new_account(api)
    alice = await new_account(api)
    db = context_of(api).db
    await topup(api, alice, 10_000)
    await claim(db, "domain:carol.org", carol["id"])
    await api.post(
        "/api/v1/gifts",
        json={"key": "domain:carol.org", "amount_cents": 1000},
        headers=alice["headers"],
    )
    assert await balance_of(api, creator(carol)) == 900

    async def payout(amount):
        resp = await api.post(
            "/api/v1/payouts", json={"amount_cents": amount}, headers=carol["headers"]
        )
        return resp.status

    statuses = await asyncio.gather(*(payout(200) for _ in range(10)))
    assert statuses.count(201) == 4 and statuses.count(422) == 6
    assert await balance_of(api, creator(carol)) == 100
    resp = await api.post("/api/v1/payouts", json={"amount_cents": 101}, headers=carol["headers"])
    assert resp.status == 422 and "at most 100" in (await resp.json())["error"]["message"]
    listed = await (await api.get("/api/v1/payouts", headers=carol["headers"])).json()
    assert [p["amount_cents"] for p in listed["payouts"]] == [200] * 4
    assert all(p["state"] == "paid" for p in listed["payouts"])
    others = await (await api.get("/api/v1/payouts", headers=alice["headers"])).json()
    assert others["payouts"] == []
    assert await reconcile(context_of(api)) == []


async def test_subscription_repeats_for_its_months_and_cancel_stops_it(api):
    alice = await new_account(api)
    ctx = context_of(api)
    await topup(api, alice, 10_000)
    resp = await api.post(
        "/api/v1/subscriptions",
        json={"url": "https://podcast.org/feed", "months": 3, "weight": 2},
        headers=alice["headers"],
    )
    assert resp.status == 201, await resp.text()
    sub = await resp.json()
    assert sub["start_month"] == "2026-10" and sub["end_month"] == "2026-12"
    # podcast.org is unclaimed: the funder is told until when its money waits (6 months)
    assert sub["escrow"]["expires_at"].startswith("2027-05-01")
    resp = await api.post(
        "/api/v1/subscriptions",
        json={"url": "https://podcast.org/feed", "months": 4},
        headers=alice["headers"],
    )
    assert resp.status == 400
    again = await api.post(
        "/api/v1/subscriptions",
        json={"url": "https://podcast.org/feed", "months": 6},
        headers=alice["headers"],
    )
    assert again.status == 409

    await flattr(api, alice, "https://blog.org/a")
    for month, settle_at in [
        ("2026-10", "2026-11-01T01:00:00"),
        ("2026-11", "2026-12-01T01:00:00"),
    ]:
        set_clock(api, settle_at)
        await settlement.settle(ctx, month)
    txns = {t["month"]: t async for t in ctx.db.journal.find({"kind": "settle"})}
    # October: the subscription (weight 2) and a click; November: the subscription alone.
    assert sorted(f["weight"] for f in txns["2026-10"]["flattrs"]) == [1, 2]
    assert [f["weight"] for f in txns["2026-11"]["flattrs"]] == [2]
    assert txns["2026-11"]["spend"] == 200

    set_clock(api, "2026-12-05T10:00:00")
    resp = await api.delete(f"/api/v1/subscriptions/{sub['id']}", headers=alice["headers"])
    assert resp.status == 200 and (await resp.json())["cancelled_month"] == "2026-12"
    listing = await (await api.get("/api/v1/me/flattrs", headers=alice["headers"])).json()
    assert len(listing["flattrs"]) == 1  # December's flattr stays
    other = await new_account(api)
    resp = await api.delete(f"/api/v1/subscriptions/{sub['id']}", headers=other["headers"])
    assert resp.status == 404
    assert await reconcile(ctx) == []


async def test_statements_and_badges(api):
    alice = await new_account(api)
    carol = await new_account(api)
    ctx = context_of(api)
    await topup(api, alice, 10_000)
    await claim(ctx.db, "domain:carol.org", carol["id"])
    body = await flattr(api, alice, "https://carol.org/=cmd|calc")
    await flattr(api, alice, "https://other.org/")
    set_clock(api, "2026-11-01T01:00:00")
    await settlement.settle(ctx, "2026-10")

    resp = await api.get("/api/v1/me/statements/2026-10.csv", headers=alice["headers"])
    assert resp.status == 200 and resp.content_type == "text/csv"
    rows = list(csv.DictReader(io.StringIO(await resp.text())))
    flattr_rows = [r for r in rows if r["kind"] == "flattr"]
    assert sorted(int(r["amount_cents"]) for r in flattr_rows) == [-100, -100]
    assert [int(r["amount_cents"]) for r in rows if r["kind"] == "fund"] == [9770]
    assert rows[-1]["kind"] == "total" and int(rows[-1]["amount_cents"]) == 9770 - 200

    resp = await api.get(
        "/api/v1/me/statements/2026-10.csv", params={"as": "creator"}, headers=carol["headers"]
    )
    rows = list(csv.DictReader(io.StringIO(await resp.text())))
    assert rows[0]["key"] == "domain:carol.org"
    assert (rows[0]["gross_cents"], rows[0]["commission_cents"], rows[0]["net_cents"]) == (
        "100",
        "10",
        "90",
    )
    resp = await api.get("/api/v1/me/statements/2026-13.csv", headers=alice["headers"])
    assert resp.status == 400

    resp = await api.get(f"/api/v1/things/{body['thing_id']}/badge.svg")
    assert resp.status == 200 and resp.content_type == "image/svg+xml"
    svg = await resp.text()
    assert ">1</text>" in svg
    resp = await api.get("/api/v1/things/badge.svg", params={"url": "https://never.org/<b>"})
    svg = await resp.text()
    assert ">0</text>" in svg and "<b>" not in svg
    assert (await api.get("/api/v1/things/nope/badge.svg")).status == 404


async def test_admin_routes_need_an_admin(api):
    alice = await new_account(api)
    for method, path, body in [
        ("POST", "/api/v1/admin/settlements", {"month": "2026-09"}),
        ("GET", "/api/v1/admin/settlements/2026-09", None),
        ("PUT", f"/api/v1/admin/accounts/{alice['id']}/ngo", {"ngo": True}),
    ]:
        resp = await api.request(method, path, json=body, headers=alice["headers"])
        assert resp.status == 403, (path, await resp.text())
        resp = await api.request(method, path, json=body)
        assert resp.status == 401
    boss = await admin(api)
    resp = await api.post(
        "/api/v1/admin/settlements", json={"month": "2026-10"}, headers=boss["headers"]
    )
    assert resp.status == 422 and (await resp.json())["error"]["code"] == "month_not_over"
    resp = await api.put(
        "/api/v1/admin/accounts/000000000000000000000000/ngo",
        json={"ngo": True},
        headers=boss["headers"],
    )
    assert resp.status == 404
