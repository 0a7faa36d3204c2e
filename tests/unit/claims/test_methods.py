from multidict import CIMultiDict, CIMultiDictProxy

from crawlers.fetch import FetchResult
from registry_service.claims.findings import CheckResult, Finding
from registry_service.claims.methods.dns import judge_txt
from registry_service.claims.methods.fetching import Fetched, redirects_to_www, status_problem
from registry_service.claims.methods.https_file import judge_file
from registry_service.claims.methods.meta_tag import head_meta_values, judge_meta

TOKEN = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
NAME = "_omniflattr-challenge.example.org"
URL = "https://example.org/.well-known/omniflattr-verification"


def fetched(body: str = "", status: int = 200, **headers) -> Fetched:
    result = FetchResult(URL, URL, status, CIMultiDictProxy(CIMultiDict(headers)), body.encode())
    return Fetched(result, None)


def test_txt_rules():
    assert judge_txt(NAME, None, TOKEN).outcome == "missing"
    assert judge_txt(NAME, ["v=spf1 -all", f"token={TOKEN}"], TOKEN).ok
    assert judge_txt(NAME, [f" TOKEN={TOKEN.lower()} "], TOKEN).ok
    other = judge_txt(NAME, ["token=" + "A" * 32], TOKEN)
    assert not other.ok and "exists but holds a different token" in other.message
    bare = judge_txt(NAME, [TOKEN], TOKEN)
    assert not bare.ok and "not in the form" in bare.message
    unrelated = judge_txt(NAME, ["google-site-verification=abc"], TOKEN)
    assert unrelated.outcome == "mismatch" and "none holds a token" in unrelated.message


def test_file_rules():
    assert judge_file(URL, fetched(f"{TOKEN}\n"), TOKEN).ok
    assert judge_file(URL, fetched(f"hello\r\n  {TOKEN}  \r\n"), TOKEN).ok
    assert not judge_file(URL, fetched(f"token {TOKEN}"), TOKEN).ok
    assert judge_file(URL, fetched("", 404), TOKEN).message == f"{URL} answered 404."
    assert judge_file(URL, fetched("", 404), TOKEN).outcome == "missing"
    assert judge_file(URL, fetched("", 503), TOKEN).outcome == "error"
    assert judge_file(URL, Fetched(None, "no route"), TOKEN).outcome == "error"
    assert "is empty" in judge_file(URL, fetched("  "), TOKEN).message
    assert judge_file(URL, fetched(f"\ufeff{TOKEN}\r\n"), TOKEN).ok  # a BOM from an editor


def test_redirects():
    away = fetched("", 302, Location="https://evil.example/x")
    assert status_problem(URL, away)[0] == "missing"
    assert "https://evil.example/x" in status_problem(URL, away)[1]
    assert redirects_to_www("example.org", fetched("", 301, Location="https://www.example.org/"))
    assert not redirects_to_www("example.org", away)


def test_meta_only_in_head():
    tag = f'<meta name="Omniflattr-Verification" content=" {TOKEN} ">'
    assert judge_meta("https://example.org/", fetched(f"<html><head>{tag}</head></html>"), TOKEN).ok
    # A tag after body content has started is in the body, as browsers parse it.
    page = f"<html><head><title>t</title></head><body><div>x</div>{tag}</body></html>"
    finding = judge_meta("https://example.org/", fetched(page), TOKEN)
    assert not finding.ok and "outside the <head>" in finding.message
    in_head, elsewhere = head_meta_values(
        b'<head><meta name="omniflattr-verification" content="a"></head>'
        b'<body><meta name="omniflattr-verification" content="b"></body>',
        "omniflattr-verification",
    )
    assert (in_head, elsewhere) == (["a"], ["b"])


def test_proof_gone_needs_a_clean_answer_from_the_method_that_proved_it():
    dns_gone = Finding("dns", NAME, "missing", "")
    site_down = Finding("https_file", URL, "error", "")
    result = CheckResult((dns_gone, site_down))
    assert result.proof_gone("dns", NAME)
    assert not result.proof_gone("https_file", URL)
    assert not CheckResult((Finding("dns", NAME, "found", ""),)).proof_gone("dns", NAME)
    assert not CheckResult(()).proof_gone(None, None)


async def test_a_nameserver_that_is_not_an_address_is_an_error_not_a_crash():
    import dataclasses

    from registry_service.claims.domains import parse_domain
    from registry_service.claims.methods.dns import check_dns
    from tests.conftest import make_settings

    settings = dataclasses.replace(make_settings(), dns_nameservers=(("dns.example", 53),))
    findings = await check_dns(settings, parse_domain("example.org"), TOKEN)
    assert [f.outcome for f in findings] == ["error"]


def test_www_is_tried_after_a_redirect_there_or_when_the_apex_does_not_answer():
    from registry_service.claims.methods.fetching import try_www_too

    to_www = fetched("", 301, Location="https://www.example.org/")
    assert try_www_too("example.org", [to_www, fetched("", 404)])
    assert try_www_too("example.org", [Fetched(None, "refused"), Fetched(None, "refused")])
    assert not try_www_too("example.org", [fetched("", 404)])
    assert not try_www_too("www.example.org", [Fetched(None, "refused")])
    # The hardened client refuses a cross-host redirect with an error of its own.
    refused = Fetched(None, "x redirects to another host (www.example.org)", "redirect_refused")
    assert try_www_too("example.org", [refused, fetched("", 404)])
    assert status_problem(URL, refused)[0] == "missing"
    assert status_problem(URL, Fetched(None, "timed out", "timeout"))[0] == "error"
