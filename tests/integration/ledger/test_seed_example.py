"""The seed's example end to end, through the API: 2 € budget, 20 flattrs, 10 ct each."""

from __future__ import annotations

from registry_service.ledger import accounts as acct
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
    settle_by_admin,
    topup,
)


async def test_two_euros_over_twenty_flattrs(api):
    alice = await new_account(api, display_name="Alice")
    carol = await new_account(api, display_name="Carol")
    ngo = await new_account(api, display_name="Help Org")
    boss = await admin(api)
    db = context_of(api).db

    funded = await topup(api, alice, 10_000, "card")
    assert funded["fee_cents"] == 230 and funded["credited_cents"] == 9770
    assert await balance_of(api, funder(alice)) == 9770

    resp = await api.put("/api/v1/me/budget", json={"monthly_cents": 200}, headers=alice["headers"])
    assert resp.status == 200, await resp.text()
    resp = await api.put(
        f"/api/v1/admin/accounts/{ngo['id']}/ngo", json={"ngo": True}, headers=boss["headers"]
    )
    assert resp.status == 200 and (await resp.json())["ngo"] is True

    await claim(db, "domain:site0.example", carol["id"])
    await claim(db, "domain:site1.example", ngo["id"])
    for i in range(20):
        body = await flattr(api, alice, f"https://site{i}.example/post/{i}")
        assert body["month"] == "2026-10" and body["already"] is False
        assert body["month_flattrs"] == i + 1
        assert body["projected_per_flattr_cents"] == 200 // (i + 1)
    assert body["projected_per_flattr_cents"] == 10

    me = await (await api.get("/api/v1/me", headers=alice["headers"])).json()
    assert me["month"]["flattrs"] == 20 and me["month"]["projected_per_flattr_cents"] == 10

    set_clock(api, "2026-11-01T00:10:00")
    state = await settle_by_admin(api, boss, "2026-10")
    assert state["summary"]["spent_cents"] == 200

    assert await balance_of(api, funder(alice)) == 9770 - 200
    assert await balance_of(api, creator(carol)) == 9  # 10 ct minus 10 % commission
    assert await balance_of(api, creator(ngo)) == 10  # NGOs pay no commission
    assert await balance_of(api, acct.COMMISSION) == 1
    for i in range(2, 20):
        key = f"domain:site{i}.example"
        assert await balance_of(api, acct.escrow_account(key)) == 10
    resp = await api.get("/api/v1/escrow", params={"key": "domain:site7.example"})
    view = await resp.json()
    assert view["total_cents"] == 10 and view["supporters"] == 1
    assert view["expires_at"].startswith("2027-05-01")
    assert "funder" not in str(view) and alice["id"] not in str(view)

    listing = await (
        await api.get("/api/v1/me/flattrs", params={"month": "2026-10"}, headers=alice["headers"])
    ).json()
    assert listing["settled"] is True
    assert sorted(f["paid_cents"] for f in listing["flattrs"]) == [10] * 20
    assert await reconcile(context_of(api)) == []
