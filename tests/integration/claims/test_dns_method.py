"""The DNS method against a real DNS server (Knot on loopback), through the API."""

from __future__ import annotations

from registry_service.resolve.changes import current_version
from tests.conftest import new_account
from tests.integration.claims.conftest import app_context, claim, verify

CHALLENGE = "_omniflattr-challenge.example.org"


async def test_claim_gives_token_and_exact_dns_instructions(api):
    alice = await new_account(api)
    made = await claim(api, alice, "domain:Example.ORG")
    assert made["key"] == "domain:example.org" and made["status"] == "pending"
    token = made["token"]
    assert len(token) == 32 and token.isupper() and "=" not in token
    dns = next(i for i in made["instructions"] if i["method"] == "dns")
    assert dns["record"] == {"name": CHALLENGE, "type": "TXT", "value": f"token={token}"}
    methods = [i["method"] for i in made["instructions"]]
    assert methods == ["dns", "https_file", "meta_tag"]


async def test_missing_then_wrong_then_right_record(api, zone):
    alice = await new_account(api)
    made = await claim(api, alice, "domain:example.org")
    status, body = await verify(api, alice, made["id"])
    assert status == 200 and body["verified"] is False
    dns = [f for f in body["findings"] if f["method"] == "dns"]
    assert dns[0]["outcome"] == "missing" and f"no TXT record at {CHALLENGE}" in dns[0]["message"]

    zone.txt(CHALLENGE, "token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    status, body = await verify(api, alice, made["id"])
    dns = next(f for f in body["findings"] if f["method"] == "dns")
    assert body["verified"] is False
    assert f"TXT record {CHALLENGE} exists but holds a different token" in dns["message"]

    version = await current_version(app_context(api).db)
    # Other TXT strings at the name are ignored; ours among them verifies.
    zone.txt(
        CHALLENGE, "v=spf1 -all", "token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", f"token={made['token']}"
    )
    status, body = await verify(api, alice, made["id"])
    assert status == 200 and body["verified"] is True, body
    assert body["claim"]["status"] == "verified"
    assert body["claim"]["verified_method"] == "dns"
    owner = await app_context(api).db.key_owners.find_one({"_id": "domain:example.org"})
    assert str(owner["account_id"]) == alice["id"]
    assert owner["claim_id"] is not None and owner["declined"] is False
    import hashlib

    assert owner["key_sha256"] == hashlib.sha256(b"domain:example.org").hexdigest()
    assert await current_version(app_context(api).db) > version
    metrics = await (await api.get("/metrics")).text()
    assert 'omniflattr_claim_checks_total{result="ok",why="verify"}' in metrics
    assert 'omniflattr_claim_ownership_changes_total{change="verified"}' in metrics


async def test_bare_token_is_not_accepted_and_says_why(api, zone):
    alice = await new_account(api)
    made = await claim(api, alice, "domain:example.org")
    zone.txt(CHALLENGE, made["token"])
    _, body = await verify(api, alice, made["id"])
    assert body["verified"] is False
    dns = next(f for f in body["findings"] if f["method"] == "dns")
    assert "not in the form token=" in dns["message"]


async def test_cname_is_followed(api, zone):
    alice = await new_account(api)
    made = await claim(api, alice, "domain:example.net")
    zone.cname("_omniflattr-challenge.example.net", "proofs.dns-host.example.com")
    zone.txt("proofs.dns-host.example.com", f"token={made['token']}")
    _, body = await verify(api, alice, made["id"])
    assert body["verified"] is True, body["findings"]


async def test_parent_record_proves_a_subdomain_key(api, zone):
    alice = await new_account(api)
    made = await claim(api, alice, "domain:blog.example.org")
    names = next(i for i in made["instructions"] if i["method"] == "dns")
    assert names["record"]["name"] == "_omniflattr-challenge.blog.example.org"
    assert CHALLENGE in names["text"]
    zone.txt(CHALLENGE, f"token={made['token']}")
    _, body = await verify(api, alice, made["id"])
    assert body["verified"] is True, body["findings"]
    owner = await app_context(api).db.key_owners.find_one({"_id": "domain:blog.example.org"})
    assert owner is not None
    # A record for a subdomain does not prove its parent.
    parent = await claim(api, alice, "domain:example.org")
    zone.remove(CHALLENGE)
    zone.txt("_omniflattr-challenge.blog.example.org", f"token={parent['token']}")
    _, body = await verify(api, alice, parent["id"])
    assert body["verified"] is False


async def test_a_token_verifies_only_its_own_accounts_claim(api, zone):
    alice = await new_account(api)
    mallory = await new_account(api)
    alices = await claim(api, alice, "domain:example.org")
    mallorys = await claim(api, mallory, "domain:example.org")
    assert alices["token"] != mallorys["token"]
    zone.txt(CHALLENGE, f"token={alices['token']}")
    _, body = await verify(api, mallory, mallorys["id"])
    assert body["verified"] is False
    # Mallory cannot use Alice's claim id either.
    status, _ = await verify(api, mallory, alices["id"])
    assert status == 404
    _, body = await verify(api, alice, alices["id"])
    assert body["verified"] is True


async def test_a_verified_parent_record_proves_the_same_accounts_subdomains(api, zone):
    alice = await new_account(api)
    mallory = await new_account(api)
    parent = await claim(api, alice, "domain:example.org")
    zone.txt(CHALLENGE, f"token={parent['token']}")
    # Before the parent is verified, its record proves nothing for another key.
    sub = await claim(api, alice, "domain:blog.example.org")
    assert (await verify(api, alice, sub["id"]))[1]["verified"] is False
    assert (await verify(api, alice, parent["id"]))[1]["verified"] is True
    _, body = await verify(api, alice, sub["id"])
    assert body["verified"] is True, body["findings"]
    assert "proves its subdomains" in body["message"]
    # Alice's parent record proves nothing for anyone else.
    theirs = await claim(api, mallory, "domain:shop.example.org")
    assert (await verify(api, mallory, theirs["id"]))[1]["verified"] is False
