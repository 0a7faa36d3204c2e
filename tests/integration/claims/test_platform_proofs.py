"""Platform proofs against saved profile pages served locally through the host map.

For each platform: the token in the account's own words verifies; the same token in
other people's words on the same page (comments, pinned repositories, chat) does not.
"""

from __future__ import annotations

import pytest

from registry_service.claims.rechecks import recheck_claim
from tests.conftest import new_account
from tests.integration.claims.conftest import PUBLIC_URL, app_context, claim, profile, verify

JSON = "application/json; charset=utf-8"

# key, the page serving the account's profile: (host, path, saved page, content type)
PLATFORMS = [
    ("github:alice", ("github.com", "/alice", "github_profile.html", None)),
    ("gitlab:alice", ("gitlab.com", "/alice", "gitlab_profile.html", None)),
    ("codeberg:alice", ("codeberg.org", "/api/v1/users/alice", "codeberg_user.json", JSON)),
    (
        "mastodon:alice@mastodon.social",
        ("mastodon.social", "/api/v1/accounts/lookup?acct=alice", "mastodon_lookup.json", JSON),
    ),
    (
        "mastodon:alice@mastodon.social",
        ("mastodon.social", "/@alice", "mastodon_profile.html", None),
    ),
    ("youtube:@alice", ("www.youtube.com", "/@alice/about", "youtube_about.html", None)),
    (
        "youtube:UCaaaaaaaaaaaaaaaaaaaaaa",
        ("www.youtube.com", "/channel/UCaaaaaaaaaaaaaaaaaaaaaa/about", "youtube_about.html", None),
    ),
    ("twitch:alice", ("www.twitch.tv", "/alice", "twitch_channel.html", None)),
    (
        "bluesky:alice.bsky.social",
        (
            "public.api.bsky.app",
            "/xrpc/app.bsky.actor.getProfile?actor=alice.bsky.social",
            "bluesky_profile.json",
            JSON,
        ),
    ),
    ("medium:alice", ("medium.com", "/@alice", "medium_profile.html", None)),
]


def serve(sites, page, **values) -> None:
    host, path, name, content_type = page
    sites.page(host, path, profile(name, **values), content_type=content_type or "text/html")


@pytest.mark.parametrize(("key", "page"), PLATFORMS, ids=[p[2] for _, p in PLATFORMS])
async def test_token_in_profile_verifies(api, sites, key, page):
    alice = await new_account(api)
    made = await claim(api, alice, key)
    assert made["key"] == key
    profile_step = made["instructions"][0]
    assert profile_step["method"] == "profile" and made["token"] in profile_step["text"]

    serve(sites, page, proof="Nothing to see.", other=made["token"])
    _, body = await verify(api, alice, made["id"])
    assert body["verified"] is False, body["findings"]
    assert any("does not contain the token" in f["message"] for f in body["findings"])

    serve(sites, page, proof=f"omniflattr {made['token']}")
    _, body = await verify(api, alice, made["id"])
    assert body["verified"] is True, body["findings"]
    owner = await app_context(api).db.key_owners.find_one({"_id": key})
    assert str(owner["account_id"]) == alice["id"]


async def test_github_profile_readme_and_website_count(api, sites):
    alice = await new_account(api)
    made = await claim(api, alice, "github:Alice")
    assert made["key"] == "github:alice"
    sites.page("github.com", "/alice", profile("github_profile.html", readme=made["token"]))
    _, body = await verify(api, alice, made["id"])
    assert body["verified"] is True


async def test_github_raw_profile_readme_counts(api, sites):
    alice = await new_account(api)
    made = await claim(api, alice, "github:alice")
    sites.page(
        "raw.githubusercontent.com",
        "/alice/alice/HEAD/README.md",
        f"# Hi\n\nomniflattr: {made['token']}\n",
        content_type="text/plain",
    )
    _, body = await verify(api, alice, made["id"])
    assert body["verified"] is True
    assert body["claim"]["last_check"]["findings"]


async def test_github_gist_named_by_url_and_its_comments(api, sites):
    alice = await new_account(api)
    made = await claim(api, alice, "github:alice")
    gist = "/alice/0123456789abcdef0123456789abcdef"
    sites.page("gist.github.com", gist, profile("github_gist.html", other=made["token"]))
    _, body = await verify(api, alice, made["id"], proof_url="https://gist.github.com" + gist)
    assert body["verified"] is False  # a comment by someone else is not the account's word

    sites.page("gist.github.com", gist, profile("github_gist.html", proof=made["token"]))
    _, body = await verify(api, alice, made["id"], proof_url="https://gist.github.com" + gist)
    assert body["verified"] is True
    # Re-checks look at the page that proved it: the claim keeps it.
    doc = await app_context(api).db.claims.find_one({"key": "github:alice"})
    result = await recheck_claim(app_context(api), doc)
    assert result["status"] == "verified" and not result.get("consecutive_failures")
    assert result["last_check"]["ok"] is True

    # A gist of another account cannot prove alice's key.
    bob = await new_account(api)
    bobs = await claim(api, bob, "github:bob")
    _, body = await verify(api, bob, bobs["id"], proof_url="https://gist.github.com" + gist)
    assert body["verified"] is False
    assert "is not a page of github:bob" in body["findings"][0]["message"]


async def test_fediverse_rel_me_link_to_the_creator_page(api, sites):
    alice = await new_account(api)
    handle = alice["handle"]
    made = await claim(api, alice, "mastodon:@Alice@Mastodon.Social")
    assert made["key"] == "mastodon:alice@mastodon.social"
    rel_me = next(i for i in made["instructions"] if i["method"] == "rel_me")
    assert rel_me["link"] == f"{PUBLIC_URL}/@{handle}"
    path = "/api/v1/accounts/lookup?acct=alice"
    link = f'<a href="{PUBLIC_URL}/@{handle}" rel="nofollow noopener me" target="_blank">here</a>'
    other = f'<a href="{PUBLIC_URL}/@someone-else" rel="me">here</a>'
    sites.page(
        "mastodon.social", path, profile("mastodon_lookup.json", field=other), content_type=JSON
    )
    _, body = await verify(api, alice, made["id"])
    assert body["verified"] is False

    sites.page(
        "mastodon.social", path, profile("mastodon_lookup.json", field=link), content_type=JSON
    )
    _, body = await verify(api, alice, made["id"])
    assert body["verified"] is True, body["findings"]
    assert body["claim"]["verified_method"] == "rel_me"


async def test_fediverse_lookup_of_another_account_does_not_count(api, sites):
    alice = await new_account(api)
    made = await claim(api, alice, "mastodon:alice@mastodon.social")
    doc = profile("mastodon_lookup.json", proof=made["token"]).replace(
        '"acct":"alice"', '"acct":"alice@evil.example"'
    )
    sites.page("mastodon.social", "/api/v1/accounts/lookup?acct=alice", doc, content_type=JSON)
    _, body = await verify(api, alice, made["id"])
    assert body["verified"] is False
    assert any("another account" in f["message"] for f in body["findings"])


async def test_tenant_site_platform_key(api, sites):
    alice = await new_account(api)
    resp = await api.post(
        "/api/v1/claims", json={"key": "domain:alice.wordpress.com"}, headers=alice["headers"]
    )
    assert resp.status == 422
    error = (await resp.json())["error"]
    assert error["code"] == "claim_platform_key" and "wordpress:alice" in error["message"]
    made = await claim(api, alice, "wordpress:alice")
    tag = f'<meta name="omniflattr-verification" content="{made["token"]}">'
    sites.page("alice.wordpress.com", "/", f"<html><head>{tag}</head><body></body></html>")
    _, body = await verify(api, alice, made["id"])
    assert body["verified"] is True


async def test_keys_without_a_proof_method_are_refused_at_once(api):
    alice = await new_account(api)
    resp = await api.post("/api/v1/claims", json={"key": "twitter:jack"}, headers=alice["headers"])
    assert resp.status == 422
    assert (await resp.json())["error"]["code"] == "no_proof_method"


async def test_a_handle_key_is_claimed_as_the_immutable_id_a_crawl_learned(api, sites):
    await app_context(api).db.key_aliases.insert_one(
        {"_id": "youtube:@alice", "key": "youtube:UCaaaaaaaaaaaaaaaaaaaaaa"}
    )
    alice = await new_account(api)
    made = await claim(api, alice, "youtube:@Alice")
    assert made["key"] == "youtube:UCaaaaaaaaaaaaaaaaaaaaaa"
    page = "/channel/UCaaaaaaaaaaaaaaaaaaaaaa/about"
    sites.page("www.youtube.com", page, profile("youtube_about.html", proof=made["token"]))
    _, body = await verify(api, alice, made["id"])
    assert body["verified"] is True
