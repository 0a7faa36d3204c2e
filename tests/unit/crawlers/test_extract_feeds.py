from crawlers.extract import feed_links
from crawlers.extract.feed_document import extract_feed, looks_like_feed
from tests.unit.crawlers import pages
from tests.unit.crawlers.helpers import page


def test_feed_links_in_the_head():
    found = feed_links.extract(
        page(
            '<link rel="alternate" type="application/rss+xml" href="/feed.xml">'
            '<link rel="alternate" type="application/atom+xml" href="https://b.example.org/atom">'
            '<link rel="alternate" hreflang="fr" href="/fr/">'
        )
    )
    assert found.feeds == ["https://blog.example.org/feed.xml", "https://b.example.org/atom"]


def test_rss_authors_and_podcast_funding():
    found = extract_feed(pages.BLOG_FEED.encode(), "https://blog.example.org/feed.xml")
    assert found.hints["feed_authors"] == [
        {"name": "Alice Liddell", "url": None},
        {"name": "Alice L.", "url": None},
    ]
    assert found.also_accepts == [
        {
            "kind": "podcast_funding",
            "url": "https://liberapay.com/alice",
            "label": "Support the show",
        }
    ]


def test_atom_authors():
    found = extract_feed(pages.ATOM_FEED.encode(), "https://bob.example.org/atom")
    assert found.hints["feed_authors"] == [
        {"name": "Bob Builder", "url": "https://bob.example.org/"},
        {"name": "Carol", "url": None},
    ]


def test_hostile_xml_does_not_expand_entities():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        "<rss><channel><author>&b;</author></channel></rss>"
    )
    found = extract_feed(bomb.encode(), "https://x.example.org/feed")
    assert "aaaaaaaaaa" not in str(found.hints)


def test_feed_sniffing():
    assert looks_like_feed(pages.BLOG_FEED.encode(), "text/xml")
    assert looks_like_feed(b"<feed xmlns='http://www.w3.org/2005/Atom'/>", "")
    assert not looks_like_feed(b"<!doctype html><html>", "text/html")
