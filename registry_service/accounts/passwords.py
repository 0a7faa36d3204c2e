"""Password hashing with Argon2id (argon2-cffi): memory-hard, salted, self-describing."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_PROD = PasswordHasher()  # argon2-cffi's RFC 9106 low-memory profile (64 MiB, t=3)
_TEST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # fast tests only

MIN_LENGTH = 10
MAX_LENGTH = 1024


def _hasher(fast: bool) -> PasswordHasher:
    return _TEST if fast else _PROD


async def hash_password(password: str, *, fast: bool = False) -> str:
    # Hashing takes tens of milliseconds of CPU: keep it off the event loop.
    return await asyncio.to_thread(_hasher(fast).hash, password)


async def verify_password(stored_hash: str, password: str) -> bool:
    def check() -> bool:
        try:
            return _PROD.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(check)
