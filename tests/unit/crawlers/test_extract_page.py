"""Reading only the head, with a bounded fallback for heads that never close."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawlers.extract import Page, extract_head
from crawlers.extract.page import (
    HEAD_BUDGET,
    HEAD_PARSERS,
    HeadEnd,
    head_bytes,
    head_closed,
    head_end,
    sniff_charset,
)
from tests.unit.crawlers import pages
from tests.unit.crawlers.helpers import SERVICE


def test_head_bytes_stop_at_the_end_of_the_head():
    html = b"<html><head><title>t</title></HEAD ><body>" + b"x" * 1000
    assert head_bytes(html) == b"<html><head><title>t</title></HEAD >"


def test_a_missing_head_end_stops_at_the_body_or_the_budget():
    assert head_bytes(b"<html><meta name=a><body><meta name=b>") == b"<html><meta name=a>"
    endless = b"<html><head>" + b"<meta name=x content=y>" * 100_000
    assert len(head_bytes(endless)) == HEAD_BUDGET


def test_charset_from_header_meta_or_bom():
    assert sniff_charset(b'<meta charset="ISO-8859-1">', None) == "iso-8859-1"
    assert sniff_charset(b"\xef\xbb\xbf<html>", None) == "utf-8"
    assert sniff_charset(b"<html>", "windows-1252") == "windows-1252"
    assert sniff_charset(b'<meta charset="bogus-enc">', None) == "utf-8"


def test_latin1_pages_decode():
    html = '<html><head><meta charset="iso-8859-1"><meta name="author" content="Zoë"></head>'
    found = extract_head(Page.parse(html.encode("latin-1"), "https://a.example.org/", SERVICE))
    assert found.hints["author_name"] == ["Zoë"]


def test_the_realistic_blog_post_has_every_kind_of_signal():
    found = extract_head(
        Page.parse(
            pages.blog_post(SERVICE).encode(), "https://blog.example.org/posts/hello", SERVICE
        )
    ).tidy()
    assert found.deciding_creators() == ["omniflattr:alice", "omniflattr:bob"]
    assert found.legacy_creators == ["flattr:alice_old"]
    assert "https://evil.example.com/@mallory" not in found.identities
    assert set(found.hints) >= {"jsonld_people", "author_name", "article_author", "twitter_creator"}
    assert found.feeds == ["https://blog.example.org/feed.xml"]


def test_legacy_keys_decide_only_without_this_services_tags():
    html = b'<html><head><meta name="flattr:id" content="old"></head></html>'
    found = extract_head(Page.parse(html, "https://a.example.org/", SERVICE))
    assert found.deciding_creators() == ["flattr:old"]


def test_charsets_libxml2_does_not_know_by_that_name_still_decode():
    for charset in ("mac-roman", "latin_1", "utf_8", "cp1252"):
        html = f'<head><meta charset="{charset}"><meta name="author" content="Zoé"></head>'
        for parser in ("lxml", "bs4"):
            page = Page.parse(
                html.encode(charset), "https://a.example.org/", SERVICE, parser=parser
            )
            assert extract_head(page).hints["author_name"] == ["Zoé"], (charset, parser)


NOISY_HEAD = b"""<html><head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta property="og:title" content="Hello"><meta name="AUTHOR" content="Alice">
<meta name="description" property="article:author" content="named description: not an author">
<link rel="stylesheet" href="/s.css"><link rel="preload icon" href="/i.png">
<link rel="Payment me" href="/pay"><base href="https://cdn.example.org/">
<script src="/app.js"></script><script>var x = "<meta name=author content=no>";</script>
<script type="application/ld+json; charset=utf-8">{"author": "Bob"}</script>
<style>a {}</style><title>t</title>
</head><body><meta name="author" content="Mallory"></body></html>"""


def test_only_the_tags_an_extractor_reads_are_built():
    for parser in HEAD_PARSERS:
        page = Page.parse(NOISY_HEAD, "https://a.example.org/p", SERVICE, parser=parser)
        built = [(e.name, e.get("name") or e.get("rel") or e.get("type")) for e in page.elements]
        assert built == [
            ("meta", "AUTHOR"),
            ("link", "Payment me"),
            ("base", None),
            ("script", "application/ld+json; charset=utf-8"),
        ], parser
        assert page.metas("author") == ["Alice"]
        assert page.metas("article:author") == []  # that meta is called "description"
        assert page.link_urls("me") == ["https://cdn.example.org/pay"]  # <base> applies
        assert page.scripts("application/ld+json") == ['{"author": "Bob"}']


def test_asking_for_a_tag_that_is_not_parsed_is_a_programming_error():
    page = Page.parse(NOISY_HEAD, "https://a.example.org/p", SERVICE)
    for ask in (
        lambda: page.metas("og:title"),
        lambda: page.metas("author", "description"),
        lambda: page.links("stylesheet"),
        lambda: page.link_urls("icon"),
        lambda: page.scripts("text/javascript"),
    ):
        with pytest.raises(ValueError, match="is not parsed from heads"):
            ask()


# No <head> or <body> written: the heading implies the body, and the comment's link in it
# must not count (a commenter would otherwise decide whom the page pays).
HEADLESS_PAGE = b"""<!doctype html><title>Blog</title><meta name="author" content="Alice">
<h1>Post</h1><p>Comment: <a rel="payment" href="https://flattr.com/submit/auto?user_id=evil">x</a>
<link rel="me" href="https://mallory.example.net/"><meta name="author" content="Mallory">"""


def test_tags_after_an_implied_body_do_not_count():
    for parser in HEAD_PARSERS:
        page = Page.parse(HEADLESS_PAGE, "https://a.example.org/p", SERVICE, parser=parser)
        assert [(e.name, e.get("name")) for e in page.elements] == [("meta", "author")], parser
        assert page.metas("author") == ["Alice"] and page.link_urls("me") == []


TEXT_WITH_A_HEAD_END = [
    b'<script>document.write("</head>")</script>',
    b"<script type=module>let s = '</HEAD >';</script >",
    b"<style>/* </head> */ body {}</style>",
    b"<title>How to close </head> tags</title>",
    b"<!-- the theme's </head> goes below -->",
]


@pytest.mark.parametrize("text", TEXT_WITH_A_HEAD_END)
def test_a_head_end_inside_a_script_style_title_or_comment_does_not_end_the_head(text):
    tag = b'<meta name="author" content="Zoe">'
    html = b"<html><head>" + text + tag + b"</head><body><p>" + b"x" * 1000
    assert head_bytes(html) == b"<html><head>" + text + tag + b"</head>"
    assert head_closed(html) and not head_closed(b"<html><head>" + text + tag)
    for parser in HEAD_PARSERS:
        page = Page.parse(html, "https://a.example.org/", SERVICE, parser=parser)
        assert extract_head(page).hints["author_name"] == ["Zoe"], (text, parser)


def test_a_script_that_never_closes_leaves_the_bounded_fallback():
    html = b"<html><head><script>let s = '</head>'; <body>" + b"x" * 100
    assert not head_closed(html)
    assert head_bytes(html) == b"<html><head><script>let s = '</head>'; "


@given(
    st.lists(
        st.sampled_from(
            [
                *TEXT_WITH_A_HEAD_END,
                b"<meta name=a>",
                b"</head >",
                b"</head" + b" " * 100 + b">",
                b"<!--",
                b"x",
            ]
        ),
        max_size=12,
    ),
    st.integers(min_value=1, max_value=40),
)
def test_the_head_end_found_as_a_document_grows_is_the_one_found_at_once(parts, chunk):
    document = b"<html><head>" + b"".join(parts)
    finder, found = HeadEnd(), None
    for size in range(chunk, len(document) + chunk, chunk):
        found = finder.find(document[:size])
        if found is not None:
            break
    assert found == head_end(document)
