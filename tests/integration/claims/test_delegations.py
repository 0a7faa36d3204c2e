"""Delegations: a verified domain owner hands path prefixes to other creators."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from registry_service.claims.rechecks import recheck_due
from registry_service.resolve.changes import current_version
from tests.conftest import new_account
from tests.integration.claims.conftest import app_context, at, claim, verify

CHALLENGE = "_omniflattr-challenge.example.org"
T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


async def owner_with_domain(api, zone) -> tuple[dict, dict]:
    alice = await new_account(api)
    made = await claim(api, alice, "domain:example.org")
    zone.txt(CHALLENGE, f"token={made['token']}")
    assert (await verify(api, alice, made["id"]))[1]["verified"] is True
    return alice, made


async def delegate(api, account, claim_id, **body):
    return await api.post(
        f"/api/v1/claims/{claim_id}/delegations", json=body, headers=account["headers"]
    )


async def test_add_list_revoke(api, zone):
    db = app_context(api).db
    alice, made = await owner_with_domain(api, zone)
    bob = await new_account(api, display_name="Bob")
    version = await current_version(db)
    resp = await delegate(
        api, alice, made["id"], path_prefix="/authors/bob/", creator_id=bob["handle"]
    )
    assert resp.status == 201, await resp.text()
    created = (await resp.json())["delegation"]
    assert await current_version(db) > version
    doc = await db.delegations.find_one({})
    assert doc["host"] == "example.org" and doc["path_prefix"] == "/authors/bob/"
    assert doc["key"] == "domain:example.org" and str(doc["claim_id"]) == made["id"]
    assert doc["creator_key"] == f"omniflattr:{bob['handle']}"
    assert str(doc["creator_account_id"]) == bob["id"] and doc["revoked_at"] is None

    # By account id too, and on a subdomain of the domain.
    carol = await new_account(api, display_name="Carol")
    resp = await delegate(
        api, alice, made["id"], path_prefix="/c", creator_id=carol["id"], host="blog.example.org"
    )
    assert resp.status == 201

    resp = await api.get(f"/api/v1/claims/{made['id']}/delegations", headers=alice["headers"])
    listed = (await resp.json())["delegations"]
    assert [d["path_prefix"] for d in listed] == ["/authors/bob/", "/c"]

    resp = await api.delete(
        f"/api/v1/claims/{made['id']}/delegations/{created['id']}", headers=alice["headers"]
    )
    assert resp.status == 200 and (await resp.json())["delegation"]["revoked_at"]
    resp = await api.delete(
        f"/api/v1/claims/{made['id']}/delegations/{created['id']}", headers=alice["headers"]
    )
    assert resp.status == 404
    # Revoked, the prefix can be handed out again.
    resp = await delegate(
        api, alice, made["id"], path_prefix="/authors/bob/", creator_id=carol["id"]
    )
    assert resp.status == 201


async def test_bad_delegations(api, zone):
    alice, made = await owner_with_domain(api, zone)
    bob = await new_account(api, display_name="Bob")
    cases = [
        ({"path_prefix": "authors/bob", "creator_id": bob["handle"]}, 422, "invalid_path_prefix"),
        ({"path_prefix": "/a/../b/", "creator_id": bob["handle"]}, 422, "invalid_path_prefix"),
        ({"path_prefix": "/a?x=1", "creator_id": bob["handle"]}, 422, "invalid_path_prefix"),
        ({"path_prefix": "https://example.org/a", "creator_id": bob["handle"]}, 422, None),
        ({"path_prefix": "/a/", "creator_id": "nobody-here"}, 422, "unknown_creator"),
        ({"path_prefix": "/a/", "creator_id": bob["handle"], "host": "example.net"}, 422, None),
        ({"path_prefix": "/a/"}, 400, "invalid_body"),
    ]
    for body, status, code in cases:
        resp = await delegate(api, alice, made["id"], **body)
        assert resp.status == status, (body, await resp.text())
        if code:
            assert (await resp.json())["error"]["code"] == code
    assert (
        await delegate(api, alice, made["id"], path_prefix="/a/", creator_id=bob["id"])
    ).status == 201
    for same in ("/a/", "/a"):  # whole segments: one prefix however it is spelled
        resp = await delegate(api, alice, made["id"], path_prefix=same, creator_id=bob["id"])
        assert resp.status == 409 and (await resp.json())["error"]["code"] == "already_delegated"


async def test_only_a_verified_domain_claim_delegates(api):
    alice = await new_account(api)
    bob = await new_account(api, display_name="Bob")
    pending = await claim(api, alice, "domain:example.org")
    resp = await delegate(api, alice, pending["id"], path_prefix="/a/", creator_id=bob["handle"])
    assert resp.status == 409
    platform = await claim(api, alice, "github:alice")
    resp = await delegate(api, alice, platform["id"], path_prefix="/a/", creator_id=bob["handle"])
    assert resp.status == 422 and (await resp.json())["error"]["code"] == "not_a_domain"


async def test_a_lapse_revokes_the_delegations(api, zone):
    db = app_context(api).db
    at(api, T0)
    alice, made = await owner_with_domain(api, zone)
    bob = await new_account(api, display_name="Bob")
    assert (
        await delegate(api, alice, made["id"], path_prefix="/b/", creator_id=bob["id"])
    ).status == 201
    zone.remove(CHALLENGE)
    for day in (7, 14, 21):
        at(api, T0 + timedelta(days=day))
        await recheck_due(app_context(api))
    doc = await db.delegations.find_one({})
    assert doc["revoked_at"] == T0 + timedelta(days=21) and doc["revoked_reason"] == "lapsed"
