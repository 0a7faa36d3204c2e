"""The claims API: input errors, listing, and that nobody sees or touches another's claims."""

from __future__ import annotations

import pytest

from tests.conftest import new_account
from tests.integration.claims.conftest import ADMIN_EMAIL, claim, verify

CHALLENGE = "_omniflattr-challenge.example.org"


@pytest.mark.parametrize(
    ("key", "code", "says"),
    [
        ("domain:co.uk", "public_suffix", "co.uk is a public suffix"),
        ("domain:github.io", "public_suffix", "github:yourname"),
        ("domain:alice.github.io", "claim_platform_key", "claim github:alice instead"),
        ("domain:blog.alice.gitlab.io", "claim_platform_key", "gitlab:alice"),
        ("omniflattr:alice", "key_not_claimable", "account of this service"),
        ("domain:192.0.2.1", "invalid_key", "IP address"),
        ("domain:localhost", "invalid_key", "localhost"),
        ("domain:example.org/blog", "invalid_key", "path"),
        ("https://example.org/", "invalid_key", "URL, not a key"),
        ("example.org", "invalid_key", "domain:example.org"),
        ("myspace:alice", "unknown_namespace", "myspace"),
        ("github:about", "key_not_claimable", "GitHub's own pages"),
        ("github:-bad-", "invalid_key", "GitHub account name"),
    ],
)
async def test_keys_that_cannot_be_claimed(api, key, code, says):
    alice = await new_account(api)
    resp = await api.post("/api/v1/claims", json={"key": key}, headers=alice["headers"])
    assert resp.status == 422, await resp.text()
    error = (await resp.json())["error"]
    assert error["code"] == code and says in error["message"]


async def test_bad_bodies_are_400(api):
    alice = await new_account(api)
    resp = await api.post("/api/v1/claims", data=b"{nope", headers=alice["headers"])
    assert resp.status == 400
    resp = await api.post(
        "/api/v1/claims", json={"kee": "domain:example.org"}, headers=alice["headers"]
    )
    assert resp.status == 400 and (await resp.json())["error"]["code"] == "invalid_body"
    made = await claim(api, alice, "domain:example.org")
    resp = await api.post(
        f"/api/v1/claims/{made['id']}/verify", json={"proof_url": 5}, headers=alice["headers"]
    )
    assert resp.status == 400


async def test_create_is_idempotent_and_list_shows_status_and_last_check(api, zone):
    alice = await new_account(api)
    first = await claim(api, alice, "domain:Example.org")
    resp = await api.post(
        "/api/v1/claims", json={"key": "domain:www.example.org"}, headers=alice["headers"]
    )
    assert resp.status == 200
    again = (await resp.json())["claim"]
    assert again["id"] == first["id"] and again["token"] == first["token"]
    await claim(api, alice, "github:alice")
    await verify(api, alice, first["id"])
    resp = await api.get("/api/v1/claims", headers=alice["headers"])
    claims = {c["key"]: c for c in (await resp.json())["claims"]}
    assert set(claims) == {"domain:example.org", "github:alice"}
    assert claims["domain:example.org"]["status"] == "pending"
    assert claims["domain:example.org"]["last_check"]["ok"] is False
    assert claims["github:alice"]["last_check"] is None


async def test_another_account_gets_404_on_every_claim_route(api, zone):
    alice = await new_account(api)
    mallory = await new_account(api)
    made = await claim(api, alice, "domain:example.org")
    zone.txt(CHALLENGE, f"token={made['token']}")
    assert (await verify(api, alice, made["id"]))[1]["verified"] is True
    cid = made["id"]
    h = mallory["headers"]
    routes = [
        api.get(f"/api/v1/claims/{cid}", headers=h),
        api.delete(f"/api/v1/claims/{cid}", headers=h),
        api.post(f"/api/v1/claims/{cid}/verify", headers=h),
        api.get(f"/api/v1/claims/{cid}/history", headers=h),
        api.post(f"/api/v1/claims/{cid}/decline", headers=h),
        api.delete(f"/api/v1/claims/{cid}/decline", headers=h),
        api.get(f"/api/v1/claims/{cid}/delegations", headers=h),
        api.post(
            f"/api/v1/claims/{cid}/delegations",
            json={"path_prefix": "/x/", "creator_id": mallory["handle"]},
            headers=h,
        ),
        api.delete(f"/api/v1/claims/{cid}/delegations/0123456789abcdef01234567", headers=h),
    ]
    for request in routes:
        resp = await request
        assert resp.status == 404, (resp.method, resp.url, resp.status)
        body = await resp.json()
        assert body["error"]["code"] == "claim_not_found"
        assert made["token"] not in str(body)
    listed = await (await api.get("/api/v1/claims", headers=h)).json()
    assert listed["claims"] == []
    notices = await (await api.get("/api/v1/claim-notices", headers=h)).json()
    assert notices["notices"] == []
    # Alice's claim is untouched.
    resp = await api.get(f"/api/v1/claims/{cid}", headers=alice["headers"])
    body = (await resp.json())["claim"]
    assert body["status"] == "verified" and body["declined"] is False


async def test_no_token_is_401_and_extension_tokens_are_403(api):
    ext = await new_account(api, scope="extension")
    for method, path in [
        ("POST", "/api/v1/claims"),
        ("GET", "/api/v1/claims"),
        ("GET", "/api/v1/claims/0123456789abcdef01234567"),
        ("POST", "/api/v1/claims/0123456789abcdef01234567/verify"),
        ("GET", "/api/v1/claims/0123456789abcdef01234567/history"),
        ("GET", "/api/v1/claim-notices"),
        ("GET", "/api/v1/admin/claims?key=domain:example.org"),
    ]:
        resp = await api.request(method, path, json={"key": "domain:example.org"})
        assert resp.status == 401, (method, path)
        resp = await api.request(
            method, path, json={"key": "domain:example.org"}, headers=ext["headers"]
        )
        assert resp.status == 403, (method, path)


async def test_admins_read_any_history_but_never_tokens(api):
    alice = await new_account(api)
    admin = await new_account(api, email=ADMIN_EMAIL)
    made = await claim(api, alice, "domain:example.org")
    await verify(api, alice, made["id"])  # fails: its findings name the expected token
    resp = await api.get(f"/api/v1/claims/{made['id']}/history", headers=admin["headers"])
    assert resp.status == 200
    body = await resp.json()
    assert [e["type"] for e in body["events"]] == ["created", "check_failed"]
    assert made["token"] not in str(body) and "token=<token>" in str(body)
    own = await api.get(f"/api/v1/claims/{made['id']}/history", headers=alice["headers"])
    assert made["token"] in await own.text()
    resp = await api.get("/api/v1/admin/claims?key=domain:EXAMPLE.org", headers=admin["headers"])
    body = await resp.json()
    assert [c["id"] for c in body["claims"]] == [made["id"]]
    assert made["token"] not in str(body)
    resp = await api.get("/api/v1/admin/claims?key=domain:example.org", headers=alice["headers"])
    assert resp.status == 403


async def test_unknown_and_malformed_claim_ids_are_404(api):
    alice = await new_account(api)
    for cid in ("nope", "0123456789abcdef01234567"):
        resp = await api.get(f"/api/v1/claims/{cid}", headers=alice["headers"])
        assert resp.status == 404
