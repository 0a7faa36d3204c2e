"""Precedence and crawl policy as pure functions (the database-backed versions are integration)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from registry_service.resolve.rules import (
    Delegation,
    Signals,
    crawl_could_change,
    crawl_due,
    decide,
)
from registry_service.resolve.things import analyse

NOW = datetime(2026, 11, 15, 12, tzinfo=UTC)


@dataclass
class Owner:
    claim_id: object = "c1"


def delegation(prefix="/authors/bob/", host="example.org", claim="c1", creator="omniflattr:bob"):
    return Delegation("domain:example.org", claim, host, prefix, creator)


def test_the_most_specific_signal_wins_in_order():
    thing = analyse("https://blog.example.org/authors/bob/post")
    owners = {"domain:example.org": Owner(), "domain:blog.example.org": Owner()}
    signals = Signals(creators=("omniflattr:carol", "omniflattr:dan"))
    delegations = [delegation(host="blog.example.org")]
    assert decide(thing, signals, delegations, owners, {}).source == "meta"
    assert decide(thing, signals, delegations, owners, {}).keys == (
        "omniflattr:carol",
        "omniflattr:dan",
    )
    # without the page's word: the delegation — if the delegating claim still owns the key
    assert decide(thing, None, delegations, owners, {}).keys == ("omniflattr:bob",)
    assert (
        decide(thing, None, delegations, {**owners, "domain:example.org": Owner("c2")}, {}).source
        == "subdomain"
    )
    # then the verified subdomain, then the registrable domain
    assert decide(thing, None, [], owners, {}).keys == ("domain:blog.example.org",)
    assert decide(thing, None, [], {}, {}).keys == ("domain:example.org",)


def test_platform_key_beats_a_verified_subdomain_and_aliases_apply():
    thing = analyse("https://www.youtube.com/@Alice/videos")
    owners = {"domain:www.youtube.com": Owner()}
    assert decide(thing, None, [], owners, {}).keys == ("youtube:@alice",)
    aliases = {"youtube:@alice": "youtube:UCuAXFkgsw1L7xaCfnd5JJOw"}
    decision = decide(thing, None, [], {}, aliases)
    assert decision.keys == ("youtube:UCuAXFkgsw1L7xaCfnd5JJOw",)
    assert decision.source == "platform"


def test_a_crawl_learns_a_videos_channel_but_not_another_platforms_key():
    video = analyse("https://youtu.be/dQw4w9WgXcQ")
    learned = Signals(platform_key="youtube:UCuAXFkgsw1L7xaCfnd5JJOw")
    assert decide(video, learned, [], {}, {}).keys == ("youtube:UCuAXFkgsw1L7xaCfnd5JJOw",)
    stray = Signals(platform_key="github:mallory")
    assert decide(video, stray, [], {}, {}).keys == ("domain:youtube.com",)
    blog = analyse("https://example.org/embeds-a-video")
    assert decide(blog, learned, [], {}, {}).keys == ("domain:example.org",)


@pytest.mark.parametrize(
    ("prefix", "path", "covered"),
    [
        ("/authors/bob/", "/authors/bob/post", True),
        ("/authors/bob/", "/authors/bob", True),
        ("/authors/bob", "/authors/bob/x", True),
        ("/authors/bob", "/authors/bobby/x", False),
        ("/authors/bob/", "/authors/", False),
        ("authors/bob", "/authors/bob/x", True),
        ("/", "/anything", True),
        ("/caf%c3%a9/", "/caf%C3%A9/x", True),
    ],
)
def test_delegation_prefixes_cover_whole_segments(prefix, path, covered):
    assert delegation(prefix).covers(path) is covered


def test_longest_delegated_prefix_wins_and_hosts_must_match():
    thing = analyse("https://www.example.org/authors/bob/drafts/x")
    owners = {"domain:example.org": Owner()}
    short = delegation("/authors/", creator="omniflattr:editor")
    long = delegation("/authors/bob/drafts/", creator="omniflattr:bob")
    assert decide(thing, None, [short, long], owners, {}).keys == ("omniflattr:bob",)
    elsewhere = delegation("/authors/", host="other.example.org")
    assert decide(thing, None, [elsewhere], owners, {}).source == "domain"


def test_crawl_policy():
    page = analyse("https://example.org/post")
    fresh = Signals(fetched_at=NOW - timedelta(days=1), status=200)
    old = Signals(fetched_at=NOW - timedelta(days=31), status=200)
    failed = Signals(fetched_at=NOW - timedelta(hours=25), status=503)
    assert crawl_could_change(page, None, False)
    assert crawl_due(None, NOW) and crawl_due(old, NOW) and crawl_due(failed, NOW)
    assert not crawl_due(fresh, NOW)
    # the platform's own pages and plain platform keys: its page names no one else
    assert not crawl_could_change(analyse("https://github.com/features"), None, False)
    assert not crawl_could_change(analyse("https://github.com/alice"), None, False)
    # a video needs one; a handle until its immutable id is known
    assert crawl_could_change(analyse("https://youtu.be/dQw4w9WgXcQ"), None, False)
    handle = analyse("https://www.youtube.com/@alice")
    assert crawl_could_change(handle, None, False)
    assert not crawl_could_change(handle, None, True)


def test_signals_from_a_document_are_cleaned():
    doc = {
        "creators": ["Alice", "github:Bob", "alice", "bad key", None, 3],
        "platform_key": "YouTube:UCuAXFkgsw1L7xaCfnd5JJOw",
        "fetched_at": datetime(2026, 1, 1),
        "status": 200,
    }
    signals = Signals.from_doc(doc)
    assert signals.creators == ("omniflattr:alice", "github:bob")
    assert signals.platform_key == "youtube:UCuAXFkgsw1L7xaCfnd5JJOw"
    assert signals.fetched_at.tzinfo is not None
    assert Signals.from_doc({"creators": "not a list"}).creators == ()
