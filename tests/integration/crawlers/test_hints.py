"""Hints from the extension are stored apart and queue a crawl; they never decide a key."""

from __future__ import annotations

import pytest

from crawlers import queue
from crawlers.hints import submit_hints
from registry_service.api.errors import BadRequest


async def test_hints_are_stored_and_queue_a_crawl(context):
    answer = await submit_hints(
        context, "https://Blog.Example.org/post#top", {"creators": ["mallory"], "me": []}
    )
    url = answer["url"]
    assert url == "https://blog.example.org/post"
    stored = await context.db.extension_hints.find_one({"_id": url})
    assert stored["hints"] == {"creators": ["mallory"]} and stored["count"] == 1
    assert await queue.pending(context.db, [url]) == {url}
    # Nothing the resolver reads was written.
    assert await context.db.page_signals.find_one({"_id": url}) is None


async def test_bad_urls_and_hints_are_refused(context):
    with pytest.raises(BadRequest):
        await submit_hints(context, "javascript:alert(1)", {"creators": ["x"]})
    with pytest.raises(BadRequest):
        await submit_hints(context, "https://example.org/", {"creators": "x" * 10_000})
    assert await context.db.crawl_jobs.count_documents({}) == 0
