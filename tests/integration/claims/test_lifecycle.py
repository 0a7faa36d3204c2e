"""Keeping claims true on a fixed clock: re-checks, lapse, transfer, decline, withdrawal."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import UTC, datetime, timedelta

from registry_service.claims import service
from registry_service.claims.rechecks import recheck_due
from registry_service.resolve.changes import current_version
from tests.conftest import new_account
from tests.integration.claims.conftest import app_context, at, claim, verify

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
CHALLENGE = "_omniflattr-challenge.example.org"
WELL_KNOWN = "/.well-known/omniflattr-verification"


async def verified_by_dns(api, zone, account, key="domain:example.org") -> dict:
    made = await claim(api, account, key)
    zone.txt(CHALLENGE, f"token={made['token']}")
    _, body = await verify(api, account, made["id"])
    assert body["verified"] is True, body["findings"]
    return body["claim"]


async def events(api, account, claim_id) -> list[str]:
    resp = await api.get(f"/api/v1/claims/{claim_id}/history", headers=account["headers"])
    assert resp.status == 200
    return [e["type"] for e in (await resp.json())["events"]]


async def recheck(api, when):
    at(api, when)
    return await recheck_due(app_context(api))


async def test_lapse_after_three_failed_checks_spanning_two_weeks(api, zone):
    db = app_context(api).db
    at(api, T0)
    alice = await new_account(api)
    made = await verified_by_dns(api, zone, alice)
    assert made["next_check_at"] == (T0 + timedelta(days=7)).isoformat()
    assert (await recheck(api, T0 + timedelta(days=1))).checked == 0  # not due yet

    zone.remove(CHALLENGE)
    version = await current_version(db)
    for day, failures in ((7, 1), (14, 2)):
        report = await recheck(api, T0 + timedelta(days=day))
        assert (report.checked, report.failed, report.lapsed) == (1, 1, [])
        doc = await db.claims.find_one({"key": "domain:example.org"})
        assert doc["status"] == "verified" and doc["consecutive_failures"] == failures
        assert await db.key_owners.find_one({"_id": "domain:example.org"}) is not None

    report = await recheck(api, T0 + timedelta(days=21))
    assert report.lapsed == ["domain:example.org"]
    assert await db.key_owners.find_one({"_id": "domain:example.org"}) is None
    assert await current_version(db) > version

    resp = await api.get(f"/api/v1/claims/{made['id']}", headers=alice["headers"])
    assert (await resp.json())["claim"]["status"] == "lapsed"
    history = await events(api, alice, made["id"])
    assert history[:2] == ["created", "verified"]
    assert history[-4:] == ["recheck_failed", "recheck_failed", "recheck_failed", "lapsed"]
    notices = await (await api.get("/api/v1/claim-notices", headers=alice["headers"])).json()
    kinds = [n["kind"] for n in notices["notices"]]
    assert kinds == ["lapsed", "proof_missing", "proof_missing"]
    assert "lapses after 3 failed checks" in notices["notices"][-1]["message"]

    # The lapsed claim cannot be verified again; a new claim keeps the same token.
    zone.txt(CHALLENGE, f"token={made['token']}")
    status, body = await verify(api, alice, made["id"])
    assert status == 409 and body["error"]["code"] == "claim_closed"
    again = await claim(api, alice, "domain:example.org")
    assert again["id"] != made["id"] and again["token"] == made["token"]
    _, body = await verify(api, alice, again["id"])
    assert body["verified"] is True


async def test_a_good_check_starts_the_count_again(api, zone):
    db = app_context(api).db
    at(api, T0)
    alice = await new_account(api)
    made = await verified_by_dns(api, zone, alice)
    zone.remove(CHALLENGE)
    await recheck(api, T0 + timedelta(days=7))
    await recheck(api, T0 + timedelta(days=14))
    zone.txt(CHALLENGE, f"token={made['token']}")
    report = await recheck(api, T0 + timedelta(days=21))
    assert report.passed == 1
    doc = await db.claims.find_one({"key": "domain:example.org"})
    assert doc["consecutive_failures"] == 0 and doc["failing_since"] is None
    zone.remove(CHALLENGE)
    for day in (28, 35):
        assert (await recheck(api, T0 + timedelta(days=day))).lapsed == []
    assert (await recheck(api, T0 + timedelta(days=42))).lapsed == ["domain:example.org"]


async def test_three_quick_failures_do_not_lapse_before_two_weeks(api, zone):
    context = app_context(api)
    context.settings = dataclasses.replace(context.settings, recheck_days=1)
    at(api, T0)
    alice = await new_account(api)
    await verified_by_dns(api, zone, alice)
    zone.remove(CHALLENGE)
    lapsed_on = None
    for day in range(1, 20):
        report = await recheck(api, T0 + timedelta(days=day))
        assert report.checked == 1 or lapsed_on is not None
        if report.lapsed:
            lapsed_on = day
            break
    assert lapsed_on == 15  # first failure on day 1, 14 days later


async def test_transfer_only_when_the_old_proof_is_gone(api, zone):
    db = app_context(api).db
    at(api, T0)
    alice = await new_account(api)
    bob = await new_account(api)
    alices = await verified_by_dns(api, zone, alice)
    bobs = await claim(api, bob, "domain:example.org")

    # Both tokens published: the old owner's proof still holds.
    zone.txt(CHALLENGE, f"token={alices['token']}", f"token={bobs['token']}")
    status, body = await verify(api, bob, bobs["id"])
    assert status == 409 and body["error"]["code"] == "key_owned_by_another"
    assert "still holds" in body["error"]["message"]

    # The domain was sold: only the new owner's record is left.
    zone.txt(CHALLENGE, f"token={bobs['token']}")
    at(api, T0 + timedelta(days=40))
    status, body = await verify(api, bob, bobs["id"])
    assert status == 200 and body["verified"] is True
    owner = await db.key_owners.find_one({"_id": "domain:example.org"})
    assert str(owner["account_id"]) == bob["id"] and owner["since"] == T0 + timedelta(days=40)
    old = await (await api.get(f"/api/v1/claims/{alices['id']}", headers=alice["headers"])).json()
    assert old["claim"]["status"] == "transferred"
    assert "transferred_away" in await events(api, alice, alices["id"])
    bob_history = await events(api, bob, bobs["id"])
    assert "transferred_in" in bob_history and "escrow_released" in bob_history
    notices = await (await api.get("/api/v1/claim-notices", headers=alice["headers"])).json()
    assert notices["notices"][0]["kind"] == "transferred"


async def test_no_transfer_while_the_old_owners_site_is_down(api, zone, sites):
    at(api, T0)
    alice = await new_account(api)
    bob = await new_account(api)
    alices = await claim(api, alice, "domain:example.org")
    sites.page("example.org", WELL_KNOWN, alices["token"], content_type="text/plain")
    _, body = await verify(api, alice, alices["id"])
    assert body["claim"]["verified_method"] == "https_file"
    bobs = await claim(api, bob, "domain:example.org")
    zone.txt(CHALLENGE, f"token={bobs['token']}")
    sites.page("example.org", WELL_KNOWN, "down", status=503, content_type="text/plain")
    status, body = await verify(api, bob, bobs["id"])
    assert status == 409 and "could not be checked" in body["error"]["message"]
    owner = await app_context(api).db.key_owners.find_one({"_id": "domain:example.org"})
    assert str(owner["account_id"]) == alice["id"]


async def test_escrow_is_released_once_per_claim(api, zone):
    at(api, T0)
    alice = await new_account(api)
    made = await verified_by_dns(api, zone, alice)
    for _ in range(2):
        _, body = await verify(api, alice, made["id"])  # a verified claim re-checked by hand
        assert body["verified"] is True
    history = await events(api, alice, made["id"])
    assert history.count("escrow_released") == 1 and history.count("verified") == 1
    assert history.count("rechecked") == 2


async def test_decline_and_undo(api, zone):
    db = app_context(api).db
    at(api, T0)
    alice = await new_account(api)
    made = await verified_by_dns(api, zone, alice)
    version = await current_version(db)
    resp = await api.post(
        f"/api/v1/claims/{made['id']}/decline",
        json={"reason": "I do not take donations"},
        headers=alice["headers"],
    )
    assert resp.status == 200 and (await resp.json())["claim"]["declined"] is True
    owner = await db.key_owners.find_one({"_id": "domain:example.org"})
    assert owner["declined"] is True
    assert await current_version(db) > version
    history = await events(api, alice, made["id"])
    assert history[-2:] == ["declined", "escrow_refunded"]

    resp = await api.delete(f"/api/v1/claims/{made['id']}/decline", headers=alice["headers"])
    assert resp.status == 200 and (await resp.json())["claim"]["declined"] is False
    assert (await db.key_owners.find_one({"_id": "domain:example.org"}))["declined"] is False


async def test_only_a_verified_claim_can_decline(api):
    alice = await new_account(api)
    made = await claim(api, alice, "domain:example.org")
    resp = await api.post(f"/api/v1/claims/{made['id']}/decline", headers=alice["headers"])
    assert resp.status == 409 and (await resp.json())["error"]["code"] == "claim_not_verified"


async def test_withdrawing_a_verified_claim_frees_the_key(api, zone):
    db = app_context(api).db
    alice = await new_account(api)
    made = await verified_by_dns(api, zone, alice)
    resp = await api.delete(f"/api/v1/claims/{made['id']}", headers=alice["headers"])
    assert resp.status == 200 and (await resp.json())["claim"]["status"] == "withdrawn"
    assert await db.key_owners.find_one({"_id": "domain:example.org"}) is None


async def test_verify_attempts_are_rate_limited(api, monkeypatch):
    monkeypatch.setattr(service, "VERIFY_LIMIT_TARGET", (2, timedelta(hours=1)))
    alice = await new_account(api)
    bob = await new_account(api)
    alices = await claim(api, alice, "domain:example.org")
    bobs = await claim(api, bob, "domain:blog.example.org")  # same registrable domain
    assert (await verify(api, alice, alices["id"]))[0] == 200
    assert (await verify(api, alice, alices["id"]))[0] == 200
    resp = await api.post(f"/api/v1/claims/{bobs['id']}/verify", headers=bob["headers"])
    assert resp.status == 429 and int(resp.headers["Retry-After"]) > 0
    assert "example.org" in (await resp.json())["error"]["message"]


async def test_an_outage_at_recheck_does_not_count_towards_a_lapse(api, zone, sites):
    db = app_context(api).db
    at(api, T0)
    alice = await new_account(api)
    made = await claim(api, alice, "domain:example.org")
    sites.page("example.org", WELL_KNOWN, made["token"], content_type="text/plain")
    _, body = await verify(api, alice, made["id"])
    assert body["claim"]["verified_method"] == "https_file"
    # The site answers 503 for weeks: the proof cannot be looked at, so nothing is counted.
    sites.page("example.org", WELL_KNOWN, "down", status=503, content_type="text/plain")
    day = 7
    for _ in range(4):
        report = await recheck(api, T0 + timedelta(days=day))
        assert report.checked == 1 and report.lapsed == []
        doc = await db.claims.find_one({"key": "domain:example.org"})
        assert doc["status"] == "verified" and not doc.get("consecutive_failures")
        assert doc["next_check_at"] == T0 + timedelta(days=day + 1)  # tried again soon
        day += 6
    assert (await events(api, alice, made["id"]))[-1] == "recheck_inconclusive"
    # When the site answers again without the file, the proof is missing: that counts.
    sites.page("example.org", WELL_KNOWN, "nothing here", status=404, content_type="text/plain")
    await recheck(api, T0 + timedelta(days=day))
    doc = await db.claims.find_one({"key": "domain:example.org"})
    assert doc["consecutive_failures"] == 1


async def test_declining_when_proving_sends_the_waiting_money_back_not_to_the_owner(api, zone):
    from tests.integration.ledger.support import balance_of, creator, funder, topup

    at(api, T0)
    bob, alice = await new_account(api), await new_account(api)
    await topup(api, bob, 10_000)
    gift = {"key": "domain:example.org", "amount_cents": 500}
    assert (await api.post("/api/v1/gifts", json=gift, headers=bob["headers"])).status == 201
    bob_before = await balance_of(api, funder(bob))

    made = await claim(api, alice, "domain:example.org")
    zone.txt(CHALLENGE, f"token={made['token']}")
    resp = await api.post(
        f"/api/v1/claims/{made['id']}/verify", json={"decline": True}, headers=alice["headers"]
    )
    body = await resp.json()
    assert resp.status == 200 and body["verified"] is True and body["claim"]["declined"] is True
    assert await balance_of(api, creator(alice)) == 0
    assert await balance_of(api, funder(bob)) == bob_before + 500
    history = await events(api, alice, made["id"])
    assert "escrow_released" not in history
    assert history[-2:] == ["declined", "escrow_refunded"]
    # New money for the key is refused with a clear message.
    resp = await api.post("/api/v1/gifts", json=gift, headers=bob["headers"])
    assert resp.status == 422 and (await resp.json())["error"]["code"] == "key_declined"


async def resolved(api, url: str = "https://example.org/post") -> dict:
    resp = await api.get("/api/v1/resolve", params={"url": url})
    assert resp.status == 200
    return await resp.json()


async def key_state(api, key: str = "domain:example.org") -> dict:
    resp = await api.get(f"/api/v1/keys/{key}")
    assert resp.status == 200
    return await resp.json()


async def test_a_declined_key_stays_declined_when_its_claim_is_withdrawn(api, zone):
    alice = await new_account(api)
    made = await verified_by_dns(api, zone, alice)
    resp = await api.post(f"/api/v1/claims/{made['id']}/decline", headers=alice["headers"])
    assert resp.status == 200
    resp = await api.delete(f"/api/v1/claims/{made['id']}", headers=alice["headers"])
    assert resp.status == 200 and (await resp.json())["claim"]["status"] == "withdrawn"

    # Nobody owns the key, and it still takes no donations.
    assert await key_state(api) | {"sha256": None} == {
        "key": "domain:example.org",
        "sha256": None,
        "claimed": False,
        "declined": True,
        "creator": None,
    }
    answer = await resolved(api)
    assert (answer["key"], answer["claimed"], answer["declined"]) == (
        "domain:example.org",
        False,
        True,
    )
    carol = await new_account(api)
    resp = await api.post(
        "/api/v1/flattrs", json={"url": "https://example.org/post"}, headers=carol["headers"]
    )
    assert resp.status == 422 and (await resp.json())["error"]["code"] == "key_declined"

    # Whoever proves control next decides anew: Bob's verified claim takes donations.
    bob = await new_account(api)
    bobs = await verified_by_dns(api, zone, bob)
    assert bobs["declined"] is False
    state = await key_state(api)
    assert (state["claimed"], state["declined"]) == (True, False)
    answer = await resolved(api)
    assert (answer["claimed"], answer["declined"]) == (True, False)
    assert await app_context(api).db.declined_keys.count_documents({}) == 0


async def test_a_declined_key_stays_declined_when_its_claim_lapses(api, zone):
    db = app_context(api).db
    at(api, T0)
    alice = await new_account(api)
    made = await verified_by_dns(api, zone, alice)
    resp = await api.post(f"/api/v1/claims/{made['id']}/decline", headers=alice["headers"])
    assert resp.status == 200
    zone.remove(CHALLENGE)
    for day in (7, 14):
        assert (await recheck(api, T0 + timedelta(days=day))).lapsed == []
    assert (await recheck(api, T0 + timedelta(days=21))).lapsed == ["domain:example.org"]
    assert await db.key_owners.find_one({"_id": "domain:example.org"}) is None
    state = await key_state(api)
    assert (state["claimed"], state["declined"]) == (False, True)
    assert (await resolved(api))["declined"] is True


async def test_a_key_never_declined_is_free_again_when_its_claim_ends(api, zone):
    alice = await new_account(api)
    made = await verified_by_dns(api, zone, alice)
    resp = await api.delete(f"/api/v1/claims/{made['id']}", headers=alice["headers"])
    assert resp.status == 200
    state = await key_state(api)
    assert (state["claimed"], state["declined"]) == (False, False)


async def test_a_subdomain_that_stands_declined_keeps_its_pages_refused(api, zone):
    key = "domain:blog.example.org"
    alice = await new_account(api)
    made = await claim(api, alice, key)
    zone.txt("_omniflattr-challenge.blog.example.org", f"token={made['token']}")
    assert (await verify(api, alice, made["id"]))[1]["verified"] is True
    resp = await api.post(f"/api/v1/claims/{made['id']}/decline", headers=alice["headers"])
    assert resp.status == 200
    resp = await api.delete(f"/api/v1/claims/{made['id']}", headers=alice["headers"])
    assert resp.status == 200

    answer = await resolved(api, "https://blog.example.org/post")
    assert (answer["key"], answer["claimed"], answer["declined"]) == (key, False, True)
    carol = await new_account(api)
    resp = await api.post(
        "/api/v1/flattrs", json={"url": "https://blog.example.org/post"}, headers=carol["headers"]
    )
    assert resp.status == 422 and (await resp.json())["error"]["code"] == "key_declined"
    # The private lookup by hash prefix says so too.
    prefix = hashlib.sha256(key.encode()).hexdigest()[:4]
    resp = await api.get(f"/api/v1/keys/by-prefix/{prefix}")
    body = await resp.json()
    assert key in body["declined"] and key in body["keys"]
