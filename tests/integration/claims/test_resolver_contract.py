"""What the claims package writes is what the resolver reads: ownership, delegations,
subdomain keys and declines, through GET /resolve. Runs once the resolver is merged."""

from __future__ import annotations

from tests.conftest import new_account
from tests.integration.claims.conftest import claim, verify

CHALLENGE = "_omniflattr-challenge.example.org"


async def resolve(api, url: str) -> dict:
    resp = await api.get("/api/v1/resolve", params={"url": url})
    assert resp.status == 200, await resp.text()
    return await resp.json()


async def test_the_resolver_honours_what_claims_write(api, zone):
    alice = await new_account(api)
    bob = await new_account(api, display_name="Bob")
    assert (await resolve(api, "https://example.org/x"))["claimed"] is False
    made = await claim(api, alice, "domain:example.org")
    zone.txt(CHALLENGE, f"token={made['token']}")
    assert (await verify(api, alice, made["id"]))[1]["verified"] is True
    found = await resolve(api, "https://www.example.org/x")
    assert (found["key"], found["claimed"]) == ("domain:example.org", True)

    resp = await api.post(
        f"/api/v1/claims/{made['id']}/delegations",
        json={"path_prefix": "/authors/bob/", "creator_id": bob["handle"]},
        headers=alice["headers"],
    )
    assert resp.status == 201
    found = await resolve(api, "https://example.org/authors/bob/post")
    assert (found["key"], found["source"]) == (f"omniflattr:{bob['handle']}", "path")

    sub = await claim(api, alice, "domain:blog.example.org")
    assert (await verify(api, alice, sub["id"]))[1]["verified"] is True
    found = await resolve(api, "https://blog.example.org/p")
    assert (found["key"], found["source"]) == ("domain:blog.example.org", "subdomain")

    await api.post(f"/api/v1/claims/{made['id']}/decline", headers=alice["headers"])
    assert (await resolve(api, "https://example.org/x"))["declined"] is True

    resp = await api.delete(f"/api/v1/claims/{made['id']}", headers=alice["headers"])
    assert resp.status == 200
    found = await resolve(api, "https://example.org/authors/bob/post")
    assert (found["key"], found["claimed"]) == ("domain:example.org", False)
