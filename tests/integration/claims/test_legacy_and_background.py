"""Legacy flattr: keys through an owned domain, and the re-check loop the service runs."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from registry_service.claims.rechecks import recheck_loop
from tests.conftest import new_account
from tests.integration.claims.conftest import app_context, at, claim, verify

CHALLENGE = "_omniflattr-challenge.example.org"
T0 = datetime(2026, 7, 1, tzinfo=UTC)


async def test_legacy_flattr_id_through_a_verified_domain(api, zone, sites):
    alice = await new_account(api)
    legacy = await claim(api, alice, "flattr:4j6y0v")
    _, body = await verify(api, alice, legacy["id"])
    assert body["verified"] is False and "verify your domain first" in body["message"]

    domain = await claim(api, alice, "domain:example.org")
    zone.txt(CHALLENGE, f"token={domain['token']}")
    assert (await verify(api, alice, domain["id"]))[1]["verified"] is True
    sites.page(
        "example.org", "/", '<html><head><meta name="flattr:id" content="other"></head></html>'
    )
    _, body = await verify(api, alice, legacy["id"])
    assert body["verified"] is False

    sites.page(
        "example.org", "/", '<html><head><meta name="flattr:id" content="4j6y0v"></head></html>'
    )
    _, body = await verify(api, alice, legacy["id"])
    assert body["verified"] is True

    # Someone else's domain carrying the id does not help them.
    mallory = await new_account(api)
    theirs = await claim(api, mallory, "flattr:4j6y0v")
    _, body = await verify(api, mallory, theirs["id"])
    assert body["verified"] is False


async def test_the_background_loop_rechecks_due_claims(api, zone):
    db = app_context(api).db
    at(api, T0)
    alice = await new_account(api)
    made = await claim(api, alice, "domain:example.org")
    zone.txt(CHALLENGE, f"token={made['token']}")
    assert (await verify(api, alice, made["id"]))[1]["verified"] is True
    at(api, T0 + timedelta(days=8))
    task = asyncio.create_task(recheck_loop(app_context(api), poll_seconds=0.01))
    try:
        for _ in range(1000):  # poll, at most 20 s
            if await db.claim_events.find_one({"type": "rechecked"}):
                break
            await asyncio.sleep(0.02)
    finally:
        task.cancel()
    doc = await db.claims.find_one({})
    assert doc["last_check"]["at"] == T0 + timedelta(days=8)
    assert doc["next_check_at"] == T0 + timedelta(days=15)
    types = [e["type"] async for e in db.claim_events.find({"claim_id": doc["_id"]})]
    assert types.count("rechecked") == 1
