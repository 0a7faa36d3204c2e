"""Data access of the crawlers: the job queue, robots cache and page signals."""

from __future__ import annotations

from pymongo import IndexModel

INDEXES: list[tuple[str, IndexModel]] = []
