"""Changes of who owns a key: verify, transfer, lapse, withdraw.

Each change updates `key_owners` (conditionally, so two processes cannot both win), writes
the history, tells the resolver (`announce_change`) and, on a new owner, releases the key's
escrow once for that claim.
"""

from __future__ import annotations

import logging

from bson import ObjectId
from pymongo.errors import DuplicateKeyError

from registry_service.claims import history, store
from registry_service.claims.findings import CheckResult
from registry_service.claims.metrics import OWNERSHIP_CHANGES
from registry_service.claims.rules import next_check
from registry_service.context import Context
from registry_service.ledger.escrow import release_key_escrow
from registry_service.resolve.changes import announce_change

log = logging.getLogger("omniflattr.claims")


def check_doc(result: CheckResult, at) -> dict:
    return {"at": at, "ok": result.ok, "summary": result.summary(), "findings": result.to_docs()}


def _verified_fields(context: Context, result: CheckResult) -> dict:
    now = context.clock.now()
    proving = result.proving
    return {
        "status": "verified",
        "open": True,
        "verified_at": now,
        "verified_method": proving.method if proving else None,
        "verified_target": proving.target if proving else None,
        "last_check": check_doc(result, now),
        "last_success_at": now,
        "next_check_at": next_check(now, context.settings.recheck_days),
        "consecutive_failures": 0,
        "failing_since": None,
        "declined": False,
    }


async def claim_ownership(context: Context, claim: dict, result: CheckResult) -> dict | None:
    """Make `claim` the key's owner when the key has none; None when someone else owns it."""
    now = context.clock.now()
    owner = store.owner_doc(claim["key"], claim["account_id"], claim["_id"], now)
    try:
        await store.insert_owner(context.db, owner)
    except DuplicateKeyError:
        current = await store.get_owner(context.db, claim["key"])
        if current is None or current.get("claim_id") != claim["_id"]:
            return None
    await store.drop_standing_decline(context.db, claim["key"])
    return await _mark_verified(context, claim, result, event="verified")


async def take_over(
    context: Context, claim: dict, old_claim: dict, result: CheckResult, old_result: CheckResult
) -> dict | None:
    """Hand the key from `old_claim` (whose proof is gone) to `claim`."""
    now = context.clock.now()
    owner = store.owner_doc(claim["key"], claim["account_id"], claim["_id"], now)
    if not await store.replace_owner(context.db, claim["key"], old_claim["_id"], owner):
        return None
    await store.drop_standing_decline(context.db, claim["key"])
    old = await store.update_claim(
        context.db,
        old_claim["_id"],
        {
            "$set": {
                "status": "transferred",
                "open": False,
                "ended_at": now,
                "last_check": check_doc(old_result, now),
            }
        },
    )
    await store.revoke_delegations_of(context.db, old_claim["_id"], now, "transferred")
    evidence = {"findings": old_result.to_docs(), "to_claim_id": claim["_id"]}
    message = (
        f"{claim['key']} was verified by another account and your proof is gone, "
        "so the key now belongs to them."
    )
    await history.record(
        context, old or old_claim, "transferred_away", evidence=evidence, message=message
    )
    await history.notify(context, old or old_claim, "transferred", message)
    return await _mark_verified(
        context, claim, result, event="transferred_in", from_claim=old_claim["_id"]
    )


async def _mark_verified(
    context: Context,
    claim: dict,
    result: CheckResult,
    *,
    event: str,
    from_claim: ObjectId | None = None,
) -> dict:
    updated = await store.update_claim(
        context.db, claim["_id"], {"$set": _verified_fields(context, result)}, status="pending"
    )
    if updated is None:  # another request verified it a moment ago
        return await store.get_claim(context.db, claim["_id"])
    evidence: dict = {"findings": result.to_docs()}
    if from_claim is not None:
        evidence["from_claim_id"] = from_claim
    if event == "transferred_in":
        await history.record(
            context,
            updated,
            "transferred_in",
            actor=claim["account_id"],
            evidence=evidence,
            message=f"{claim['key']} came to you: the previous owner's proof is gone.",
        )
    await history.record(
        context,
        updated,
        "verified",
        actor=claim["account_id"],
        evidence=evidence,
        message=result.summary(),
    )
    OWNERSHIP_CHANGES.labels("transferred" if from_claim else "verified").inc()
    await announce_change(context.db, f"claims: {claim['key']} verified")
    return await release_escrow_once(context, updated)


async def release_escrow_once(context: Context, claim: dict) -> dict:
    """Release the key's escrow to this claim's account (the ledger does it once per claim).
    A failure is retried by the next re-check; it never undoes the verification."""
    if claim.get("escrow_released_at") is not None or claim.get("status") != "verified":
        return claim
    if claim.get("declined") or claim.get("decline_on_verify"):
        return claim  # its owner wants none of it: declining refunds the escrow instead
    try:
        cents = await release_key_escrow(
            context, claim["key"], claim_id=claim["_id"], account_id=claim["account_id"]
        )
    except Exception:
        log.exception("releasing the escrow of %s failed; it will be retried", claim["key"])
        return claim
    now = context.clock.now()
    updated = await store.update_claim(
        context.db,
        claim["_id"],
        {"$set": {"escrow_released_at": now, "escrow_released_cents": int(cents or 0)}},
    )
    await history.record(
        context,
        claim,
        "escrow_released",
        evidence={"cents": int(cents or 0)},
        # The amount is in the evidence; pages show it in the reader's money format.
        message=f"The money waiting in escrow for {claim['key']} went to the owner's balance.",
    )
    return updated or claim


async def end_ownership(
    context: Context,
    claim: dict,
    *,
    status: str,
    event: str,
    message: str,
    evidence: dict,
    actor: ObjectId | str = history.SYSTEM,
) -> dict | None:
    """Lapse or withdraw a claim: the key has no owner any more, new money goes to escrow."""
    now = context.clock.now()
    updated = await store.update_claim(
        context.db,
        claim["_id"],
        {"$set": {"status": status, "open": False, "ended_at": now, "declined": False}},
        status=claim["status"],
    )
    if updated is None:
        return None
    if claim.get("declined"):  # before the owner goes: the key is never undeclined meanwhile
        await store.keep_decline(context.db, claim, now)
    owned = await store.delete_owner(context.db, claim["key"], claim["_id"])
    if owned is None or not owned.get("declined"):
        # Another claim took the key over meanwhile (its owner decides), or this owner took
        # the decline back since `claim` was read: no standing decline from this claim.
        await store.drop_decline_of(context.db, claim)
    elif not claim.get("declined"):  # declined since `claim` was read
        await store.keep_decline(context.db, claim, now)
        if await store.get_owner(context.db, claim["key"]) is not None:
            await store.drop_decline_of(context.db, claim)  # verified again meanwhile
    await store.revoke_delegations_of(context.db, claim["_id"], now, status)
    await history.record(context, updated, event, actor=actor, evidence=evidence, message=message)
    if owned:
        OWNERSHIP_CHANGES.labels(status).inc()
        await announce_change(context.db, f"claims: {claim['key']} {status}")
    return updated
