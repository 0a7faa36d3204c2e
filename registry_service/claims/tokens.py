"""Claim tokens: 160 random bits from `secrets`, base32 without padding (32 characters).

A token is a public challenge bound to one account and one key: publishing it proves
control for that claim only, so it is kept readable for its owner (to show the
instructions again) and never shown to anyone else.
"""

from __future__ import annotations

import base64
import re
import secrets

TOKEN_BYTES = 20  # 160 bits: a multiple of 5 bytes, so base32 needs no padding
TOKEN_LENGTH = 32
_TOKEN_RE = re.compile(r"[A-Z2-7]{32}")


def new_token() -> str:
    return base64.b32encode(secrets.token_bytes(TOKEN_BYTES)).decode("ascii")


def looks_like_token(text: str) -> bool:
    return bool(_TOKEN_RE.fullmatch(text))


def contains_token(text: str, token: str) -> bool:
    """The token appears in free text (a bio), as a whole word, in any letter case."""
    pattern = r"(?<![A-Za-z0-9])" + re.escape(token) + r"(?![A-Za-z0-9])"
    return re.search(pattern, text, re.IGNORECASE) is not None
