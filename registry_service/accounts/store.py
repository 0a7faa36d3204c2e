"""Collections `accounts` and `tokens`."""

from __future__ import annotations

from pymongo import ASCENDING, IndexModel

INDEXES: list[tuple[str, IndexModel]] = [
    ("accounts", IndexModel([("email", ASCENDING)], unique=True, name="email_unique")),
    ("accounts", IndexModel([("handle", ASCENDING)], unique=True, name="handle_unique")),
    ("tokens", IndexModel([("hash", ASCENDING)], unique=True, name="hash_unique")),
    ("tokens", IndexModel([("account_id", ASCENDING)], name="by_account")),
    ("rate_limits", IndexModel([("expires_at", ASCENDING)], expireAfterSeconds=0, name="ttl")),
]
