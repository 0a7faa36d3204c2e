"""Escrow: release once to the verifier, lapse, expiry refunds across months, declines."""

from __future__ import annotations

from registry_service.ledger import accounts as acct
from registry_service.ledger import escrow, settlement
from registry_service.ledger.reconcile import reconcile
from tests.conftest import new_account
from tests.integration.ledger.support import (
    balance_of,
    claim,
    context_of,
    creator,
    flattr,
    funder,
    oid,
    set_clock,
    topup,
)

KEY = "domain:unclaimed.org"


async def _month_of_flattrs(api, funders, month_clock: str, settle_clock: str, month: str):
    set_clock(api, month_clock)
    for who in funders:
        await flattr(api, who, "https://unclaimed.org/post")
    set_clock(api, settle_clock)
    await settlement.settle(context_of(api), month)


async def test_release_once_then_lapse_then_release_again(api):
    alice = await new_account(api)
    bob = await new_account(api)
    carol = await new_account(api)
    dave = await new_account(api)
    ctx = context_of(api)
    for who in (alice, bob):
        await topup(api, who, 10_000)
    await _month_of_flattrs(
        api, [alice, bob], "2026-10-10T10:00:00", "2026-11-01T01:00:00", "2026-10"
    )
    assert await balance_of(api, acct.escrow_account(KEY)) == 400
    view = await (await api.get("/api/v1/escrow", params={"key": KEY})).json()
    assert view["supporters"] == 2 and view["total_cents"] == 400
    assert view["oldest_lot"].startswith("2026-11-01")

    claim_id = await claim(ctx.db, KEY, carol["id"])
    credited = await escrow.release_escrow(ctx, KEY, claim_id=claim_id, account_id=oid(carol))
    assert credited == 360  # 400 minus 10 % commission
    again = await escrow.release_escrow(ctx, KEY, claim_id=claim_id, account_id=oid(carol))
    assert again == 360  # once per claim: nothing more moved
    assert await balance_of(api, creator(carol)) == 360
    assert await balance_of(api, acct.escrow_account(KEY)) == 0

    # The claim lapses: November's money waits in escrow again, for whoever verifies next.
    await ctx.db.key_owners.delete_one({"_id": KEY})
    await _month_of_flattrs(api, [alice], "2026-11-10T10:00:00", "2026-12-01T01:00:00", "2026-11")
    assert await balance_of(api, acct.escrow_account(KEY)) == 200
    assert await balance_of(api, creator(carol)) == 360
    new_claim = await claim(ctx.db, KEY, dave["id"])
    credited = await escrow.release_escrow(ctx, KEY, claim_id=new_claim, account_id=oid(dave))
    assert credited == 180 and await balance_of(api, creator(dave)) == 180
    assert await reconcile(ctx) == []


async def test_unclaimed_escrow_returns_to_funders_after_six_months(api):
    alice = await new_account(api)
    bob = await new_account(api)
    ctx = context_of(api)
    await topup(api, alice, 10_000)
    await topup(api, bob, 10_000)
    await api.put("/api/v1/me/budget", json={"monthly_cents": 300}, headers=bob["headers"])
    await _month_of_flattrs(
        api, [alice, bob], "2026-10-10T10:00:00", "2026-11-01T01:00:00", "2026-10"
    )
    await _month_of_flattrs(api, [alice], "2026-11-10T10:00:00", "2026-12-01T01:00:00", "2026-11")
    assert await balance_of(api, funder(alice)) == 9770 - 400
    assert await balance_of(api, funder(bob)) == 9770 - 300

    set_clock(api, "2027-04-30T23:59:00")  # October's lots expire on 1 May 2027
    assert await escrow.expire_escrow(ctx) == (0, 0)
    set_clock(api, "2027-05-01T00:00:00")
    keys, cents = await escrow.expire_escrow(ctx)
    assert (keys, cents) == (1, 500)
    assert await balance_of(api, funder(alice)) == 9770 - 200  # October back, November held
    assert await balance_of(api, funder(bob)) == 9770
    assert await escrow.expire_escrow(ctx) == (0, 0)  # refunded once
    view = await (await api.get("/api/v1/escrow", params={"key": KEY})).json()
    assert view["total_cents"] == 200 and view["supporters"] == 1
    assert view["expires_at"].startswith("2027-06-01")
    set_clock(api, "2027-06-01T00:00:00")
    assert await escrow.expire_escrow(ctx) == (1, 200)
    assert await balance_of(api, funder(alice)) == 9770
    assert await balance_of(api, acct.escrow_account(KEY)) == 0
    assert await reconcile(ctx) == []


async def test_declined_key_is_refunded_at_once_and_refused(api):
    alice = await new_account(api)
    carol = await new_account(api)
    ctx = context_of(api)
    await topup(api, alice, 10_000)
    await _month_of_flattrs(api, [alice], "2026-10-10T10:00:00", "2026-11-01T01:00:00", "2026-10")
    await claim(ctx.db, KEY, carol["id"], declined=True)
    refunded = await escrow.refund_key_escrow(ctx, KEY, reason="declined")
    assert refunded == 200 and await balance_of(api, funder(alice)) == 9770
    assert await escrow.refund_key_escrow(ctx, KEY, reason="declined") == 0
    resp = await api.post(
        "/api/v1/flattrs", json={"url": "https://unclaimed.org/new"}, headers=alice["headers"]
    )
    assert resp.status == 422 and (await resp.json())["error"]["code"] == "key_declined"
    assert await reconcile(ctx) == []


async def test_public_list_of_keys_with_money_waiting(api):
    alice = await new_account(api)
    await topup(api, alice, 10_000)
    set_clock(api, "2026-10-10T10:00:00")
    for i in range(5):
        await flattr(api, alice, f"https://waiting{i}.org/")
    set_clock(api, "2026-11-01T01:00:00")
    await settlement.settle(context_of(api), "2026-10")
    first = await (await api.get("/api/v1/escrow/keys", params={"limit": "3"})).json()
    assert [k["key"] for k in first["keys"]] == [f"domain:waiting{i}.org" for i in range(3)]
    assert first["keys"][0]["total_cents"] == 40 and first["keys"][0]["supporters"] == 1
    assert first["keys"][0]["since"].startswith("2026-11-01")
    rest = await (
        await api.get("/api/v1/escrow/keys", params={"limit": "3", "after": first["next"]})
    ).json()
    assert [k["key"] for k in rest["keys"]] == [
        "domain:waiting3.org",
        "domain:waiting4.org",
    ]
    assert rest["next"] is None
    assert alice["id"] not in str(first) + str(rest)


async def test_sweep_releases_claimed_and_refunds_declined_escrow_only(api):
    """Keys claimed or declined without their escrow moved are settled by the sweep."""
    alice = await new_account(api)
    carol = await new_account(api)
    ctx = context_of(api)
    await topup(api, alice, 10_000)
    set_clock(api, "2026-10-10T10:00:00")
    for url in ("https://unclaimed.org/a", "https://declined.org/a", "https://waiting.org/a"):
        await flattr(api, alice, url)
    set_clock(api, "2026-11-01T01:00:00")
    await settlement.settle(ctx, "2026-10")
    escrowed = {k: await balance_of(api, acct.escrow_account(k)) for k in (KEY, *OTHERS)}
    assert escrowed == {KEY: 67, "domain:declined.org": 66, "domain:waiting.org": 67}
    # Claimed and declined as the claims package would, but no release or refund yet.
    claim_id = await claim(ctx.db, KEY, carol["id"])
    await claim(ctx.db, "domain:declined.org", carol["id"], declined=True)
    assert await escrow.owned_keys_with_money(ctx) == {KEY: 67, "domain:declined.org": 66}
    released, refunded = await escrow.settle_owned_escrow(ctx)
    assert (released, refunded) == (60, 66)  # 67 minus 10 % commission (6.7 -> 7 ct)
    assert await balance_of(api, creator(carol)) == 60
    assert await balance_of(api, funder(alice)) == 9770 - 200 + 66
    assert await balance_of(api, acct.escrow_account("domain:waiting.org")) == 67
    assert await escrow.settle_owned_escrow(ctx) == (0, 0)  # once
    assert await escrow.released_to_claim(ctx, KEY, str(claim_id)) == 60
    assert await reconcile(ctx) == []


OTHERS = ("domain:declined.org", "domain:waiting.org")


async def test_money_under_a_handle_key_goes_to_the_owner_of_the_id_it_names(api):
    # Given to youtube:@alice before a crawl learned that the handle is channel UC…: once
    # the channel is claimed, that money is the channel owner's, not refunded at expiry.
    handle, channel = "youtube:@alice", "youtube:UCabcdefghijklmnopqrstuv"
    bob, carol = await new_account(api), await new_account(api)
    ctx = context_of(api)
    await topup(api, bob, 10_000)
    gift = {"key": handle, "amount_cents": 1000}
    assert (await api.post("/api/v1/gifts", json=gift, headers=bob["headers"])).status == 201
    await ctx.db.key_aliases.insert_one({"_id": handle, "key": channel})
    claim_id = await claim(ctx.db, channel, carol["id"])

    # At verification: the claim's release takes the handle's escrow too, once.
    for _ in range(2):
        released = await escrow.release_key_escrow(
            ctx, channel, claim_id=claim_id, account_id=oid(carol)
        )
        assert released == 900
    assert await balance_of(api, creator(carol)) == 900
    assert await balance_of(api, acct.escrow_account(handle)) == 0

    # Money arriving under the handle later is swept to the owner as well.
    assert (await api.post("/api/v1/gifts", json=gift, headers=bob["headers"])).status == 201
    assert await escrow.settle_owned_escrow(ctx) == (900, 0)
    assert await balance_of(api, creator(carol)) == 1800
    assert await reconcile(ctx) == []


async def test_sweep_refunds_escrow_of_a_key_that_stands_declined(api):
    alice = await new_account(api)
    ctx = context_of(api)
    await topup(api, alice, 10_000)
    set_clock(api, "2026-10-10T10:00:00")
    await flattr(api, alice, "https://waiting.org/a")
    set_clock(api, "2026-11-01T01:00:00")
    await settlement.settle(ctx, "2026-10")
    assert await balance_of(api, acct.escrow_account("domain:waiting.org")) == 200
    # Its owner declined, then the claim ended: the key stands declined with no owner.
    await ctx.db.declined_keys.insert_one({"_id": "domain:waiting.org"})
    assert await escrow.owned_keys_with_money(ctx) == {"domain:waiting.org": 200}
    assert await escrow.settle_owned_escrow(ctx) == (0, 200)
    assert await balance_of(api, funder(alice)) == 9770
    assert await reconcile(ctx) == []
