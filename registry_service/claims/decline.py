"""Declining donations: the verified owner of a key says "I do not want donations".

The key's escrow is refunded to its funders at once, and new flattrs to it are refused
(the ledger reads `key_owners.declined`). Undoing it lets new money flow again.
"""

from __future__ import annotations

from bson import ObjectId

from registry_service.api.errors import Conflict
from registry_service.claims import history, store
from registry_service.claims.service import own_claim
from registry_service.context import Context
from registry_service.ledger.escrow import refund_key_escrow
from registry_service.resolve.changes import announce_change


async def _verified_claim(context: Context, account_id: ObjectId, claim_id: str) -> dict:
    claim = await own_claim(context, account_id, claim_id)
    if claim["status"] != "verified":
        raise Conflict(
            "claim_not_verified",
            f"Only a verified claim can decline donations; this one is {claim['status']}.",
        )
    return claim


async def decline(context: Context, account_id: ObjectId, claim_id: str, reason: str) -> dict:
    claim = await _verified_claim(context, account_id, claim_id)
    if claim.get("declined"):
        return claim
    updated = await store.update_claim(
        context.db, claim["_id"], {"$set": {"declined": True}}, status="verified"
    )
    if updated is None or not await store.set_owner_declined(
        context.db, claim["key"], claim["_id"], True
    ):
        raise Conflict("claim_busy", "This claim changed meanwhile; look at it again.")
    await announce_change(context.db, f"claims: {claim['key']} declined")
    text = reason.strip() or "the owner declined donations"
    await history.record(
        context,
        updated,
        "declined",
        actor=account_id,
        evidence={"reason": text},
        message=f"You declined donations for {claim['key']}.",
    )
    refunded = await refund_key_escrow(context, claim["key"], reason=f"declined: {text}")
    await history.record(
        context,
        updated,
        "escrow_refunded",
        evidence={"cents": int(refunded or 0)},
        # The amount is in the evidence; pages show it in the reader's money format.
        message=f"The money waiting for {claim['key']} went back to its funders.",
    )
    return updated


async def undecline(context: Context, account_id: ObjectId, claim_id: str) -> dict:
    claim = await _verified_claim(context, account_id, claim_id)
    if not claim.get("declined"):
        return claim
    updated = await store.update_claim(
        context.db,
        claim["_id"],
        {"$set": {"declined": False}, "$unset": {"decline_on_verify": ""}},
        status="verified",
    )
    if updated is None or not await store.set_owner_declined(
        context.db, claim["key"], claim["_id"], False
    ):
        raise Conflict("claim_busy", "This claim changed meanwhile; look at it again.")
    await announce_change(context.db, f"claims: {claim['key']} accepts donations again")
    await history.record(
        context,
        updated,
        "undeclined",
        actor=account_id,
        message=f"You accept donations for {claim['key']} again.",
    )
    return updated
