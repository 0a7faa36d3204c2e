"""Building parsed pages for extractor tests."""

from __future__ import annotations

from crawlers.extract import Page

SERVICE = "https://omniflattr.example.net"


def page(head: str, body: str = "", url: str = "https://blog.example.org/post") -> Page:
    html = f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"
    return Page.parse(html.encode(), url, SERVICE)
