"""API tokens: random, shown once, stored only as a SHA-256 hash.

A token carries 256 random bits, so a fast hash is enough: nobody can
brute-force it, and checking it on every request stays cheap.
"""

from __future__ import annotations

import hashlib
import secrets

PREFIX = "ofl_"
SCOPES = ("extension", "full")


def new_token() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
