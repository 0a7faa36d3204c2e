"""The HTTPS-file and meta-tag methods against local sites reached through the host map."""

from __future__ import annotations

from tests.conftest import new_account
from tests.integration.claims.conftest import claim, verify

WELL_KNOWN = "/.well-known/omniflattr-verification"
TXT_FILE = "/omniflattr-verification.txt"


def findings(body: dict, method: str) -> list[dict]:
    return [f for f in body["findings"] if f["method"] == method]


async def test_well_known_file_verifies_and_404_is_reported(api, sites):
    alice = await new_account(api)
    made = await claim(api, alice, "domain:example.org")
    _, body = await verify(api, alice, made["id"])
    messages = [f["message"] for f in findings(body, "https_file")]
    assert f"https://example.org{WELL_KNOWN} answered 404." in messages
    assert f"https://example.org{TXT_FILE} answered 404." in messages

    sites.page(
        "example.org", WELL_KNOWN, f"# omniflattr\n  {made['token']}  \n", content_type="text/plain"
    )
    _, body = await verify(api, alice, made["id"])
    assert body["verified"] is True
    assert body["claim"]["verified_method"] == "https_file"


async def test_non_dotfile_path_verifies(api, sites):
    alice = await new_account(api)
    made = await claim(api, alice, "domain:shop.example.com.au")
    sites.page("shop.example.com.au", TXT_FILE, made["token"] + "\n", content_type="text/plain")
    _, body = await verify(api, alice, made["id"])
    assert body["verified"] is True, body["findings"]


async def test_token_must_be_on_a_line_of_its_own(api, sites):
    alice = await new_account(api)
    made = await claim(api, alice, "domain:example.org")
    sites.page("example.org", WELL_KNOWN, f"token: {made['token']}", content_type="text/plain")
    _, body = await verify(api, alice, made["id"])
    assert body["verified"] is False
    assert any("not on a line of its own" in f["message"] for f in findings(body, "https_file"))


async def test_another_accounts_token_in_the_file_does_not_verify(api, sites):
    alice = await new_account(api)
    mallory = await new_account(api)
    alices = await claim(api, alice, "domain:example.org")
    mallorys = await claim(api, mallory, "domain:example.org")
    sites.page("example.org", WELL_KNOWN, alices["token"], content_type="text/plain")
    _, body = await verify(api, mallory, mallorys["id"])
    assert body["verified"] is False


async def test_meta_tag_in_head_verifies_and_in_body_does_not(api, sites):
    alice = await new_account(api)
    made = await claim(api, alice, "domain:example.net")
    tag = f'<meta name="omniflattr-verification" content="{made["token"]}">'
    sites.page(
        "example.net",
        "/",
        f"<!doctype html><html><head><title>x</title></head><body><p>hi</p>{tag}</body></html>",
    )
    _, body = await verify(api, alice, made["id"])
    assert body["verified"] is False
    meta = findings(body, "meta_tag")[0]
    assert "outside the <head>" in meta["message"]

    sites.page(
        "example.net",
        "/",
        f'<!doctype html><html><head><meta charset="utf-8">{tag}<title>x</title></head>'
        "<body><p>hi</p></body></html>",
    )
    _, body = await verify(api, alice, made["id"])
    assert body["verified"] is True
    assert body["claim"]["verified_method"] == "meta_tag"


async def test_a_site_that_redirects_to_www_is_checked_there(api, sites):
    alice = await new_account(api)
    made = await claim(api, alice, "domain:example.org")
    sites.redirect("example.org", "/", "https://www.example.org/")
    sites.redirect("example.org", WELL_KNOWN, "https://www.example.org" + WELL_KNOWN)
    tag = f'<meta name="omniflattr-verification" content="{made["token"]}">'
    sites.page("www.example.org", "/", f"<html><head>{tag}</head><body></body></html>")
    _, body = await verify(api, alice, made["id"])
    assert body["verified"] is True, body["findings"]
    assert body["claim"]["verified_method"] == "meta_tag"


async def test_a_redirect_to_another_host_is_not_followed_and_says_so(api, sites):
    alice = await new_account(api)
    made = await claim(api, alice, "domain:example.org")
    sites.redirect("example.org", WELL_KNOWN, "https://proofs.example.net/file")
    _, body = await verify(api, alice, made["id"])
    assert body["verified"] is False
    file = next(f for f in findings(body, "https_file") if f["target"].endswith(WELL_KNOWN))
    assert file["outcome"] == "missing"
    assert "proofs.example.net" in file["message"] and "redirect" in file["message"]
    assert ("proofs.example.net", "/file") not in sites.requests


async def test_private_suffix_tenant_without_platform_is_a_domain_key(api, sites):
    alice = await new_account(api)
    made = await claim(api, alice, "domain:someapp.herokuapp.com")
    assert made["key"] == "domain:someapp.herokuapp.com"
    sites.page("someapp.herokuapp.com", WELL_KNOWN, made["token"], content_type="text/plain")
    _, body = await verify(api, alice, made["id"])
    assert body["verified"] is True
