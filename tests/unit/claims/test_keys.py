from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry_service.claims.domains import parse_domain
from registry_service.claims.keys import (
    PLATFORMS,
    KeyRuleError,
    parse_claim_key,
    tenant_platform_key,
)
from registry_service.resolve.urls import InvalidUrl


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("domain:Example.ORG.", "domain:example.org"),
        (" domain:www.example.org ", "domain:example.org"),
        ("DOMAIN:blog.example.org", "domain:blog.example.org"),
        ("domain:müller.de", "domain:xn--mller-kva.de"),
        ("domain:www.bbc.co.uk", "domain:bbc.co.uk"),
        ("domain:shop.example.com.au", "domain:shop.example.com.au"),
        ("domain:someapp.herokuapp.com", "domain:someapp.herokuapp.com"),
        ("domain:www.com", "domain:www.com"),  # a registrable domain named www
        ("github:Alice", "github:alice"),
        ("github:@alice", "github:alice"),
        ("mastodon:@Alice@Mastodon.Social", "mastodon:alice@mastodon.social"),
        ("mastodon:alice@xn--mller-kva.de", "mastodon:alice@xn--mller-kva.de"),
        ("youtube:@Alice", "youtube:@alice"),
        ("youtube:UCabcdefghijklmnopqrstuV", "youtube:UCabcdefghijklmnopqrstuV"),
        ("bluesky:@Alice.bsky.social", "bluesky:alice.bsky.social"),
        ("twitch:Alice_1", "twitch:alice_1"),
        ("flattr:4j6y0v", "flattr:4j6y0v"),
        ("flattr:AliceL", "flattr:alicel"),
        ("tumblr:Alice", "tumblr:alice"),
    ],
)
def test_normalised_keys(raw, key):
    assert parse_claim_key(raw).key == key


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("domain:co.uk", "public_suffix"),
        ("domain:com", "public_suffix"),
        ("domain:github.io", "public_suffix"),
        ("domain:herokuapp.com", "public_suffix"),
        ("domain:alice.github.io", "claim_platform_key"),
        ("domain:www.alice.github.io", "claim_platform_key"),
        ("domain:x.alice.codeberg.page", "claim_platform_key"),
        ("domain:alice.medium.com", "claim_platform_key"),
        ("domain:alice.blogspot.fr", "claim_platform_key"),
        ("domain:localhost", "invalid_key"),
        ("domain:printer.local", "invalid_key"),
        ("domain:[::1]", "invalid_key"),
        ("domain:10.0.0.1", "invalid_key"),
        ("domain:exa mple.org", "invalid_key"),
        ("domain:-x-.org", "invalid_key"),
        ("domain:", "invalid_key"),
        ("omniflattr:alice", "key_not_claimable"),
        ("OmniFlattr:alice", "key_not_claimable"),
        ("twitter:home", "key_not_claimable"),
        ("youtube:UCshort", "invalid_key"),
        ("mastodon:alice", "invalid_key"),
        ("vimeo:12345", "invalid_key"),
        ("nothing", "invalid_key"),
        ("friendster:alice", "unknown_namespace"),
    ],
)
def test_refused_keys(raw, code):
    with pytest.raises(KeyRuleError) as err:
        parse_claim_key(raw)
    assert err.value.code == code
    assert err.value.message


def test_a_private_tenant_is_told_its_platform_key():
    with pytest.raises(KeyRuleError) as err:
        parse_claim_key("domain:Blog.Alice.GitHub.io")
    assert "claim github:alice instead" in err.value.message


@pytest.mark.parametrize(
    ("host", "key"),
    [
        ("alice.github.io", "github:alice"),
        ("docs.alice.gitlab.io", "gitlab:alice"),
        ("pub.substack.com", "substack:pub"),
        ("www.substack.com", None),
        ("help.medium.com", None),
        ("artist.bandcamp.com", "bandcamp:artist"),
        ("site.wordpress.com", "wordpress:site"),
        ("myblog.blogspot.com.au", "blogger:myblog"),
        ("example.org", None),
        ("github.com", None),
    ],
)
def test_tenant_hosts(host, key):
    assert tenant_platform_key(host) == key


def test_subdomain_parents_stop_at_the_registrable_domain():
    assert parse_domain("a.b.example.co.uk").parents() == [
        "a.b.example.co.uk",
        "b.example.co.uk",
        "example.co.uk",
    ]
    assert parse_domain("someapp.herokuapp.com").parents() == ["someapp.herokuapp.com"]


label = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
suffix = st.sampled_from(["org", "com", "co.uk", "de", "com.au", "herokuapp.com", "fr"])


@given(st.lists(label, min_size=1, max_size=4), suffix, st.booleans())
def test_domain_keys_are_a_fixed_point(labels, tld, upper):
    raw = ".".join([*labels, tld])
    raw = raw.upper() if upper else raw
    try:
        key = parse_claim_key("domain:" + raw)
    except KeyRuleError as exc:
        assert exc.code in ("claim_platform_key", "public_suffix", "invalid_key")
        return
    assert parse_claim_key(key.key) == key
    assert key.key == key.key.lower()
    assert key.domain.registrable == key.domain.parents()[-1]


@given(st.sampled_from(sorted(PLATFORMS)), st.from_regex(r"[a-z0-9_]{3,12}", fullmatch=True))
def test_platform_keys_are_a_fixed_point(namespace, ident):
    raw = f"{namespace}:{ident}"
    if namespace == "mastodon":
        raw += "@example.social"
    if namespace == "bluesky":
        raw = raw.replace("_", "") + ".bsky.social"
    try:
        key = parse_claim_key(raw)
    except KeyRuleError:
        return
    assert parse_claim_key(key.key).key == key.key
    assert parse_claim_key(key.key.upper() if namespace != "youtube" else key.key).key == key.key


def _resolved_platform_keys() -> list[str]:
    from tests.unit.resolve.platform_cases import CASES

    return sorted(
        {key for rows in CASES.values() for _, key, source in rows if source == "platform"}
    )


@pytest.mark.parametrize("key", _resolved_platform_keys())
def test_every_platform_key_the_resolver_gives_can_be_claimed_as_spelled(key):
    assert parse_claim_key(key).key == key


@given(st.from_regex(r"[\w.-]{1,20}", fullmatch=True))
def test_youtube_handles_the_resolver_reads_from_urls_are_claimable(handle):
    from registry_service.resolve.rules import decide
    from registry_service.resolve.things import analyse

    try:
        thing = analyse(f"https://www.youtube.com/@{quote(handle)}", frozenset())
    except InvalidUrl:
        return
    (key,) = decide(thing, None, (), {}, {}).keys
    if key.startswith("youtube:@"):
        assert parse_claim_key(key).key == key
