"""Every platform adapter over its fixture rows, every reserved path, registrable domains."""

import pytest

from registry_service.resolve.keys import normalize_key
from registry_service.resolve.platforms import ADAPTERS, BY_NAMESPACE
from registry_service.resolve.platforms.mastodon import BUILTIN_INSTANCES
from registry_service.resolve.rules import decide
from registry_service.resolve.things import analyse
from tests.unit.resolve.platform_cases import CASES, CRAWL, DOMAINS

ROWS = [(platform, *row) for platform, rows in CASES.items() for row in rows]


def offline(url: str, fediverse: frozenset[str] = frozenset()):
    thing = analyse(url, fediverse)
    return thing, decide(thing, None, (), {}, {})


@pytest.mark.parametrize(("platform", "url", "expected", "source"), ROWS)
def test_platform_rows(platform, url, expected, source):
    thing, decision = offline(url)
    if expected == CRAWL:
        assert thing.platform is not None and thing.platform.needs_crawl
        assert thing.platform.namespace == platform
        assert decision.keys == (source,)  # the platform's domain until the crawl
        assert decision.source == "domain"
    else:
        assert decision.keys == (expected,), thing
        assert decision.source == source
        if source == "platform":
            assert thing.adapter.namespace == platform
            # a key is spelled canonically: normalising it changes nothing
            assert normalize_key(expected) == expected


def test_every_adapter_has_rows_and_the_spec_table_is_covered():
    assert {a.namespace for a in ADAPTERS} == set(CASES)
    assert len(ADAPTERS) >= 19
    for namespace, rows in CASES.items():
        assert any(source == "platform" for _, _, source in rows), namespace
        assert any(source == "domain" for _, _, source in rows), namespace


RESERVED = [
    (adapter.namespace, host, word)
    for adapter in ADAPTERS
    for host in adapter.hosts[:1]
    for word in sorted(adapter.reserved)
    if adapter.rules and word not in (".", "..")
]


@pytest.mark.parametrize(("namespace", "host", "word"), RESERVED)
def test_reserved_first_segments_are_the_platforms_own(namespace, host, word):
    thing, decision = offline(f"https://{host}/{word}")
    assert thing.platform is None or thing.platform.needs_crawl, thing.platform
    assert decision.source == "domain"
    assert decision.keys[0].startswith("domain:")


@pytest.mark.parametrize("adapter", [a for a in ADAPTERS if a.tenant_hosts])
def test_reserved_tenants_are_the_platforms_own(adapter):
    suffix = adapter.tenant_hosts[0].replace(".*", ".com")
    for tenant in adapter.reserved_tenants:
        _, decision = offline(f"https://{tenant}.{suffix}/")
        assert decision.source == "domain", (tenant, suffix)


@pytest.mark.parametrize("instance", BUILTIN_INSTANCES)
def test_every_builtin_instance(instance):
    _, decision = offline(f"https://{instance}/@Someone/123")
    assert decision.keys == (f"mastodon:someone@{instance}",)


def test_fediverse_hosts_seen_by_the_crawler_count():
    _, before = offline("https://social.example.org/@dave")
    _, after = offline("https://social.example.org/@dave", frozenset({"social.example.org"}))
    assert before.keys == ("domain:example.org",)
    assert after.keys == ("mastodon:dave@social.example.org",)
    # only that host, and www. is not part of the instance
    _, www = offline("https://www.social.example.org/@dave", frozenset({"social.example.org"}))
    assert www.keys == ("mastodon:dave@social.example.org",)
    _, other = offline("https://other.example.org/@dave", frozenset({"social.example.org"}))
    assert other.keys == ("domain:example.org",)


@pytest.mark.parametrize(("url", "expected"), DOMAINS)
def test_registrable_domains(url, expected):
    _, decision = offline(url)
    assert decision.keys == (expected,)
    assert decision.source == "domain"


def test_subdomain_candidates_most_specific_first():
    thing, _ = offline("https://www.a.blog.example.co.uk/x")
    assert thing.subdomain_keys == (
        "domain:a.blog.example.co.uk",
        "domain:blog.example.co.uk",
    )
    assert offline("https://www.example.org/")[0].subdomain_keys == ()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("GitHub:Alice", "github:alice"),
        ("youtube:UCuAXFkgsw1L7xaCfnd5JJOw", "youtube:UCuAXFkgsw1L7xaCfnd5JJOw"),
        ("youtube:@Alice", "youtube:@alice"),
        ("bluesky:did:plc:AbC", "bluesky:did:plc:AbC"),
        ("bluesky:Alice.bsky.social", "bluesky:alice.bsky.social"),
        ("alice", "omniflattr:alice"),
        ("@Alice", "omniflattr:alice"),
        ("omniflattr:@Bob", "omniflattr:bob"),
        ("flattr:SomeUser", "flattr:someuser"),
        ("domain:Example.ORG", "domain:example.org"),
        ("newplatform:CaseKept", "newplatform:CaseKept"),
        ("", None),
        ("github:", None),
        ("git hub:x", None),
        ("a/b:c", None),
        (None, None),
        (42, None),
        ("x" * 600, None),
    ],
)
def test_normalize_key(raw, expected):
    assert normalize_key(raw) == expected


def test_adapters_are_small_settings_classes():
    for adapter in ADAPTERS:
        assert BY_NAMESPACE[adapter.namespace] is adapter
        assert adapter.namespace.isascii() and adapter.namespace.islower()
        assert adapter.hosts or adapter.tenant_hosts
