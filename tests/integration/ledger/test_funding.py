"""Top-ups: quotes, the sandbox provider, signed webhooks and their replays; budgets."""

from __future__ import annotations

import asyncio
import dataclasses
import json

import pytest

from registry_service.app import create_app
from registry_service.ledger.providers.webhook import SIGNATURE_HEADER, sign
from registry_service.ledger.reconcile import reconcile
from tests.conftest import new_account
from tests.integration.ledger.conftest import OCTOBER, fresh_limits, prepare_database
from tests.integration.ledger.support import balance_of, claim, context_of, creator, funder, topup

SECRET = "whsec-test-secret"


async def test_quote_is_public_and_exact(api):
    resp = await api.get(
        "/api/v1/funding/quote", params={"amount_cents": "10000", "method": "card"}
    )
    assert resp.status == 200
    quote = await resp.json()
    assert quote["fee_cents"] == 230 and quote["credited_cents"] == 9770
    assert "waste less" in quote["note"]
    for params, status in [
        ({"amount_cents": "10000", "method": "cheque"}, 400),
        ({"amount_cents": "abc", "method": "card"}, 400),
        ({"amount_cents": "0", "method": "card"}, 400),
        ({"amount_cents": "30", "method": "card"}, 422),  # does not cover the fixed fee
    ]:
        resp = await api.get("/api/v1/funding/quote", params=params)
        assert resp.status == status, (params, await resp.text())


async def test_sandbox_credits_at_once_and_floats_are_refused(api):
    alice = await new_account(api)
    result = await topup(api, alice, 10_000, "bank")
    assert result["state"] == "succeeded" and result["balance_cents"] == 9940
    resp = await api.post(
        "/api/v1/funding", json={"amount_cents": 100.0, "method": "card"}, headers=alice["headers"]
    )
    assert resp.status == 400
    ext = await new_account(api, scope="extension")
    resp = await api.post(
        "/api/v1/funding", json={"amount_cents": 1000, "method": "card"}, headers=ext["headers"]
    )
    assert resp.status == 403


async def test_budget_rules_through_the_api(api):
    alice = await new_account(api)
    resp = await api.put("/api/v1/me/budget", json={"monthly_cents": 199}, headers=alice["headers"])
    assert resp.status == 422
    assert "at least 200" in (await resp.json())["error"]["message"]
    resp = await api.put(
        "/api/v1/me/budget",
        json={"monthly_cents": 500, "max_monthly_cents": 400},
        headers=alice["headers"],
    )
    assert resp.status == 422
    resp = await api.put(
        "/api/v1/me/budget",
        json={"monthly_cents": 500, "min_per_flattr_cents": 3, "max_monthly_cents": 900},
        headers=alice["headers"],
    )
    assert resp.status == 200
    me = await (await api.get("/api/v1/me", headers=alice["headers"])).json()
    assert me["budget"] == {
        "monthly_cents": 500,
        "min_per_flattr_cents": 3,
        "max_monthly_cents": 900,
        "is_default": False,
    }
    assert {"id", "email", "display_name", "balance_cents", "budget", "month"} <= set(me)


@pytest.fixture
async def webhook_api(aiohttp_client, settings):
    webhook_settings = dataclasses.replace(
        settings, payment_provider="webhook", webhook_secret=SECRET
    )
    await prepare_database(webhook_settings)
    return await aiohttp_client(fresh_limits(create_app(webhook_settings, run_crawler=False)))


def signed(event: dict, secret: str = SECRET, at=OCTOBER) -> tuple[bytes, dict]:
    body = json.dumps(event).encode()
    return body, {
        SIGNATURE_HEADER: sign(secret, int(at.timestamp()), body),
        "Content-Type": "application/json",
    }


async def test_webhook_provider_credits_once_on_a_signed_event(webhook_api):
    api = webhook_api
    alice = await new_account(api)
    resp = await api.post(
        "/api/v1/funding", json={"amount_cents": 10_000, "method": "card"}, headers=alice["headers"]
    )
    assert resp.status == 202
    pending = await resp.json()
    assert pending["state"] == "pending" and pending["balance_cents"] == 0
    event = {"type": "funding.succeeded", "reference": pending["reference"], "amount_cents": 10_000}

    body, headers = signed(event, secret="wrong")
    resp = await api.post("/api/v1/funding/webhook", data=body, headers=headers)
    assert resp.status == 401 and (await resp.json())["error"]["code"] == "invalid_signature"
    body, headers = signed(event, at=OCTOBER.replace(hour=11))  # an hour old
    assert (await api.post("/api/v1/funding/webhook", data=body, headers=headers)).status == 401
    body, headers = signed(event)
    tampered = body.replace(b"10000", b"99999")
    assert (await api.post("/api/v1/funding/webhook", data=tampered, headers=headers)).status == 401
    assert await balance_of(api, funder(alice)) == 0

    results = []
    for _ in range(3):  # the provider retries: counted once
        resp = await api.post("/api/v1/funding/webhook", data=body, headers=headers)
        assert resp.status == 200
        results.append(await resp.json())
    assert [r["credited"] for r in results] == [True, False, False]
    assert await balance_of(api, funder(alice)) == 9770

    body, headers = signed({"type": "funding.succeeded", "reference": "fi_nope"})
    assert (await api.post("/api/v1/funding/webhook", data=body, headers=headers)).status == 404
    body, headers = signed({**event, "amount_cents": 5})
    resp = await api.post("/api/v1/funding/webhook", data=body, headers=headers)
    assert resp.status == 422


async def test_webhook_is_refused_without_a_secret(api):
    body, headers = signed({"type": "funding.succeeded", "reference": "x"})
    resp = await api.post("/api/v1/funding/webhook", data=body, headers=headers)
    assert resp.status == 403


async def test_failed_payout_returns_the_money_once(webhook_api):
    api = webhook_api
    alice = await new_account(api)
    carol = await new_account(api)
    resp = await api.post(
        "/api/v1/funding", json={"amount_cents": 10_000, "method": "card"}, headers=alice["headers"]
    )
    reference = (await resp.json())["reference"]
    body, headers = signed({"type": "funding.succeeded", "reference": reference})
    assert (await api.post("/api/v1/funding/webhook", data=body, headers=headers)).status == 200
    await claim(context_of(api).db, "domain:carol.org", carol["id"])
    resp = await api.post(
        "/api/v1/gifts",
        json={"key": "domain:carol.org", "amount_cents": 1000},
        headers=alice["headers"],
    )
    assert resp.status == 201
    resp = await api.post("/api/v1/payouts", json={"amount_cents": 900}, headers=carol["headers"])
    payout = await resp.json()
    assert resp.status == 201 and payout["state"] == "pending" and payout["balance_cents"] == 0
    body, headers = signed({"type": "payout.failed", "reference": payout["id"]})
    for expected_already in (False, True):
        resp = await api.post("/api/v1/funding/webhook", data=body, headers=headers)
        assert (await resp.json())["already"] is expected_already
    assert await balance_of(api, creator(carol)) == 900
    listed = await (await api.get("/api/v1/payouts", headers=carol["headers"])).json()
    assert listed["payouts"][0]["state"] == "failed"
    assert await reconcile(context_of(api)) == []


async def _pending_payouts(api, count: int) -> tuple[dict, list[str]]:
    """A creator with `count` pending payouts of 100 cents each, through the webhook provider."""
    alice, carol = await new_account(api), await new_account(api)
    resp = await api.post(
        "/api/v1/funding", json={"amount_cents": 10_000, "method": "card"}, headers=alice["headers"]
    )
    body, headers = signed(
        {"type": "funding.succeeded", "reference": (await resp.json())["reference"]}
    )
    assert (await api.post("/api/v1/funding/webhook", data=body, headers=headers)).status == 200
    await claim(context_of(api).db, "domain:carol.org", carol["id"])
    gift = {"key": "domain:carol.org", "amount_cents": 2000}
    assert (await api.post("/api/v1/gifts", json=gift, headers=alice["headers"])).status == 201
    ids = []
    for _ in range(count):
        resp = await api.post(
            "/api/v1/payouts", json={"amount_cents": 100}, headers=carol["headers"]
        )
        assert resp.status == 201, await resp.text()
        ids.append((await resp.json())["id"])
    return carol, ids


async def test_paid_and_failed_at_once_settle_each_payout_one_way(webhook_api):
    api = webhook_api
    carol, ids = await _pending_payouts(api, 6)
    start = await balance_of(api, creator(carol))

    async def send(kind: str, reference: str):
        body, headers = signed({"type": kind, "reference": reference})
        resp = await api.post("/api/v1/funding/webhook", data=body, headers=headers)
        return (await resp.json())["already"]

    for reference in ids:
        # The two outcomes race: exactly one of them is the payout's.
        already = await asyncio.gather(
            send("payout.paid", reference), send("payout.failed", reference)
        )
        assert sorted(already) == [False, True]
    listed = await (await api.get("/api/v1/payouts", headers=carol["headers"])).json()
    failed = [p for p in listed["payouts"] if p["state"] == "failed"]
    assert {p["state"] for p in listed["payouts"]} <= {"paid", "failed"}
    assert await balance_of(api, creator(carol)) == start + 100 * len(failed)
    assert await reconcile(context_of(api)) == []


async def test_a_failure_cut_short_after_taking_the_payout_finishes_on_retry(webhook_api):
    api = webhook_api
    carol, [reference] = await _pending_payouts(api, 1)
    start = await balance_of(api, creator(carol))
    from bson import ObjectId

    await context_of(api).db.payouts.update_one(
        {"_id": ObjectId(reference)}, {"$set": {"state": "failing"}}
    )
    body, headers = signed({"type": "payout.paid", "reference": reference})
    resp = await api.post("/api/v1/funding/webhook", data=body, headers=headers)
    assert (await resp.json())["already"] is True  # a failure already has it
    body, headers = signed({"type": "payout.failed", "reference": reference})
    resp = await api.post("/api/v1/funding/webhook", data=body, headers=headers)
    assert (await resp.json())["already"] is False
    assert await balance_of(api, creator(carol)) == start + 100
    assert await reconcile(context_of(api)) == []
