import re
from pathlib import Path

import pytest

from registry_service.claims.keys import parse_claim_key
from registry_service.claims.proofs import ADAPTERS
from registry_service.claims.proofs.base import Source, json_values, read_surface, same_page
from registry_service.claims.proofs.github import GitHub

PROFILES = Path(__file__).parents[2] / "integration" / "claims" / "profiles"
TOKEN = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def page(name, **values):
    text = (PROFILES / name).read_text()
    for k in ("PROOF", "OTHER", "README", "WEBSITE", "FIELD"):
        text = text.replace("{" + k + "}", values.get(k.lower(), ""))
    return text.encode()


@pytest.mark.parametrize("namespace", sorted(ADAPTERS))
def test_every_adapter_reads_https_pages_for_a_valid_id(namespace):
    adapter = ADAPTERS[namespace]
    ident = {
        "mastodon": "alice@example.social",
        "bluesky": "alice.bsky.social",
        "youtube": "@alice",
    }.get(namespace, "alice")
    key = parse_claim_key(f"{namespace}:{ident}")
    sources = adapter.sources(key.id)
    assert sources and all(s.url.startswith("https://") for s in sources)
    assert all(s.places or s.kind == "text" for s in sources)
    assert adapter.where and adapter.label


def test_github_profile_reads_bio_website_and_readme_but_not_pinned_repos():
    source = GitHub().sources("alice")[0]
    assert any(
        TOKEN in t for t in read_surface(source, page("github_profile.html", proof=TOKEN)).texts
    )
    assert any(
        TOKEN in t for t in read_surface(source, page("github_profile.html", readme=TOKEN)).texts
    )
    website = read_surface(
        source, page("github_profile.html", website=f"https://a.example/{TOKEN}")
    )
    assert any(TOKEN in t for t in website.texts)
    other = read_surface(source, page("github_profile.html", other=TOKEN))
    assert not any(TOKEN in t for t in other.texts)


def test_gist_url_must_belong_to_the_account():
    github = GitHub()
    assert github.proof_url_source("alice", "https://gist.github.com/alice/0123abcd") is not None
    assert github.proof_url_source("alice", "https://gist.github.com/bob/0123abcd") is None
    assert github.proof_url_source("alice", "https://example.org/alice/0123abcd") is None
    source = github.proof_url_source("alice", "https://gist.github.com/Alice/0123abcd")
    assert source.owner_url.fullmatch("https://gist.github.com/alice/0123abcd")
    assert not source.owner_url.fullmatch("https://gist.github.com/mallory/0123abcd")


def test_json_identity_and_paths():
    source = Source(
        "https://x.example/u", "p", kind="json", places=("a.b[].c",), identity=("name", "Alice")
    )
    surface = read_surface(source, b'{"name":"alice","a":{"b":[{"c":"one"},{"c":"two"}]}}')
    assert surface.texts == ["one", "two"]
    assert "another account" in read_surface(source, b'{"name":"bob"}')
    assert "JSON" in read_surface(source, b"<html>")
    assert json_values({"x": [1, {"y": 2}]}, "x[]") == [1]


def test_same_page():
    assert same_page("https://omniflattr.test/@alice/", "https://OMNIFLATTR.test/@alice")
    assert not same_page("http://omniflattr.test/@alice", "https://omniflattr.test/@alice")
    assert not same_page("https://omniflattr.test/@alice2", "https://omniflattr.test/@alice")
    assert not same_page("javascript:alert(1)", "https://omniflattr.test/@alice")


def test_mastodon_looks_up_a_local_account():
    url = ADAPTERS["mastodon"].sources("alice@example.social")[0].url
    assert re.fullmatch(r"https://example\.social/api/v1/accounts/lookup\?acct=alice", url)
