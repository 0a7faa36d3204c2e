"""Data access for this domain: its collections and indexes."""

from __future__ import annotations

from pymongo import IndexModel

# (collection, index) pairs created idempotently at start.
INDEXES: list[tuple[str, IndexModel]] = []
