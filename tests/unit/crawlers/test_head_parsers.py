"""Both head parsers (lxml's own tree, and beautifulsoup4 on lxml) read the same signals."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawlers.extract import Page, extract_head
from crawlers.extract.page import HEAD_PARSERS
from tests.unit.crawlers import pages
from tests.unit.crawlers.helpers import SERVICE

FIXTURES = {
    "blog": pages.blog_post(SERVICE),
    "youtube": pages.YOUTUBE_WATCH,
    "youtube_handle": pages.YOUTUBE_HANDLE,
    "vimeo": pages.VIMEO_VIDEO,
    "twitch": pages.TWITCH_VIDEO,
    "mastodon": pages.MASTODON_PROFILE,
    "github": pages.GITHUB_REPO,
    "no head end": '<html><meta name="omniflattr:creator" content="a"><link rel=me href=/x>',
    "uppercase": '<HTML><HEAD><META NAME="Author" CONTENT="Up"><LINK REL="ME" HREF="/me"></HEAD>',
    "unquoted": "<head><meta name=omniflattr:creator content=bob><link rel=payment href=/p>",
    "empty": "",
    "garbage": "\x00\xff<<<>>>&&&;;",
}


def signals(html: str, parser: str):
    return extract_head(
        Page.parse(html.encode(), "https://a.example.org/p", SERVICE, parser=parser)
    ).tidy()


@pytest.mark.parametrize("name", FIXTURES)
def test_both_parsers_agree_on_fixture_pages(name):
    results = [signals(FIXTURES[name], parser) for parser in HEAD_PARSERS]
    assert results[0] == results[1]


def test_the_tricky_heads_are_read():
    assert signals(FIXTURES["no head end"], "lxml").creators == ["omniflattr:a"]
    assert signals(FIXTURES["uppercase"], "lxml").hints["author_name"] == ["Up"]
    assert signals(FIXTURES["unquoted"], "lxml").creators == ["omniflattr:bob"]


TAGS = st.sampled_from(
    [
        '<meta name="omniflattr:creator" content="{v}">',
        '<meta property="article:author" content="{v}">',
        '<link rel="me" href="https://{v}.example.org/">',
        '<link rel="payment" href="https://omniflattr.example.net/@{v}">',
        '<a rel="me author" href="/{v}">x</a>',
        '<meta name="author" content="{v}">',
        "<title>{v}</title>",
        "<!-- {v} -->",
        '<script type="application/ld+json">{{"author": {{"name": "{v}"}}}}</script>',
    ]
)


@given(st.lists(st.tuples(TAGS, st.from_regex(r"[a-z]{1,8}", fullmatch=True)), max_size=12))
@settings(max_examples=60, deadline=None)
def test_both_parsers_agree_on_generated_heads(parts):
    head = "".join(tag.format(v=value) for tag, value in parts)
    html = f"<!doctype html><html><head>{head}</head><body></body></html>"
    assert signals(html, "lxml") == signals(html, "bs4")
