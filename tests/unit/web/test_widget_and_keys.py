"""Snippet building and profile links for creator keys."""

from __future__ import annotations

import pytest

from registry_service.web.keys import profile_url
from registry_service.web.widget import InvalidCreator, button, creator_key, head_tag, payment_link


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("@Alice", "omniflattr:alice"),
        ("alice", "omniflattr:alice"),
        ("github:alice", "github:alice"),
        ("GitHub:alice", "github:alice"),
        ("youtube:UCabcDEF", "youtube:UCabcDEF"),
        ("mastodon:bob@example.social", "mastodon:bob@example.social"),
    ],
)
def test_creator_key(raw, key):
    assert creator_key(raw) == key


@pytest.mark.parametrize("raw", ["", "@", "a", "x:", ':"><script>', "github:a b", 'a"b:c'])
def test_creator_key_refuses(raw):
    with pytest.raises(InvalidCreator):
        creator_key(raw)


def test_snippets_escape_attributes():
    tag = button(
        "https://svc.example", 'https://e.example/?a=1&b="2"', creator=None, alt='say "hi"'
    )
    assert (
        'href="https://svc.example/flattr?url=https%3A%2F%2Fe.example%2F%3Fa%3D1%26b%3D%222%22"'
        in tag
    )
    assert 'alt="say &#34;hi&#34;"' in tag
    assert "data-omniflattr-creator" not in tag
    assert head_tag("omniflattr:a") == '<meta name="omniflattr:creator" content="omniflattr:a">'
    assert payment_link("https://svc.example", "bob") == (
        '<link rel="payment" href="https://svc.example/@bob">'
    )


@pytest.mark.parametrize(
    ("key", "url"),
    [
        ("mastodon:alice@example.social", "https://example.social/@alice"),
        ("github:alice", "https://github.com/alice"),
        ("youtube:UC123abc", "https://www.youtube.com/channel/UC123abc"),
        ("youtube:@alice", "https://www.youtube.com/@alice"),
        ("bluesky:alice.bsky.social", "https://bsky.app/profile/alice.bsky.social"),
        ("domain:example.org", "https://example.org/"),
        ("substack:pub", "https://pub.substack.com/"),
        ("flattr:123", None),
        ("github:a/b", None),
        ("mastodon:alice", None),
        ("mastodon:a@evil.example/x", None),
        ("nonsense", None),
    ],
)
def test_profile_url(key, url):
    assert profile_url(key) == url
