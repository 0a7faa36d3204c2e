"""Author hints: `article:author`, `twitter:creator`, `rel="author"`, `<meta name="author">`.

Shown to people ("by …"), never used to pay.
"""

from __future__ import annotations

from crawlers.extract.page import Page
from crawlers.extract.signals import Signals

MAX_TEXT = 200


def extract(page: Page) -> Signals:
    found = Signals()
    for value in page.metas("article:author"):
        found.hint("article_author", page.absolute(value) or value[:MAX_TEXT])
    for value in page.metas("twitter:creator"):
        found.hint("twitter_creator", value[:MAX_TEXT])
    for value in page.metas("author"):
        found.hint("author_name", value[:MAX_TEXT])
    found.hint("author_link", *page.link_urls("author"))
    return found
