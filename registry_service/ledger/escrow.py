"""Escrow for unclaimed keys. (Placeholder until the ledger lands.)"""

from __future__ import annotations

from bson import ObjectId

from registry_service.context import Context


async def release_escrow(
    context: Context, key: str, *, claim_id: ObjectId, account_id: ObjectId
) -> int:
    """Credit all escrow of `key` to its verifier (minus commission), once per claim."""
    return 0


async def refund_key_escrow(context: Context, key: str, *, reason: str) -> int:
    """Return all escrow of `key` to the funders it came from (a declined key)."""
    return 0
