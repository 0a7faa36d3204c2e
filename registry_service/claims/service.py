"""Claims: create, read, verify and withdraw. Access is always by the claim's own account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bson import ObjectId
from bson.errors import InvalidId
from pymongo.errors import DuplicateKeyError

from registry_service.api.errors import ApiError, Conflict, NotFound, Unprocessable
from registry_service.api.ratelimit import db_rate_limit
from registry_service.claims import history, store, transitions
from registry_service.claims.checks import ensure_provable, run_checks
from registry_service.claims.findings import CheckResult
from registry_service.claims.keys import ClaimKey, KeyRuleError, parse_claim_key
from registry_service.claims.metrics import CHECKS
from registry_service.claims.tokens import new_token
from registry_service.context import Context

CREATE_LIMIT = (100, timedelta(days=1))  # new claims per account
VERIFY_LIMIT_ACCOUNT = (60, timedelta(hours=1))  # attempts per account
VERIFY_LIMIT_TARGET = (30, timedelta(hours=1))  # attempts per domain (or platform account)


@dataclass(frozen=True)
class VerifyOutcome:
    claim: dict
    result: CheckResult
    message: str


def claim_key(raw: str) -> ClaimKey:
    try:
        key = parse_claim_key(raw)
        ensure_provable(key)
    except KeyRuleError as exc:
        raise Unprocessable(exc.code, exc.message) from None
    return key


def stored_key(claim: dict) -> ClaimKey:
    """The key of a stored claim (its rules may have changed since it was created)."""
    try:
        return parse_claim_key(claim["key"])
    except KeyRuleError as exc:
        raise Unprocessable(exc.code, exc.message) from None


def parse_id(raw: str, what: str = "claim") -> ObjectId:
    try:
        return ObjectId(raw)
    except (InvalidId, TypeError):
        raise NotFound(f"{what}_not_found", f"There is no {what} {raw!r}.") from None


async def _immutable(context: Context, key: ClaimKey) -> ClaimKey:
    """The key a crawl learned is the same account's immutable id (`youtube:@alice` ->
    `youtube:UC...`): claims and escrow follow the account, not a handle that can change."""
    alias = await store.alias_of(context.db, key.key)
    if alias is None:
        return key
    try:
        return parse_claim_key(alias)
    except KeyRuleError:
        return key


async def account_handle(context: Context, account_id: ObjectId) -> str | None:
    account = await context.db.accounts.find_one({"_id": account_id}, {"handle": 1})
    return account.get("handle") if account else None


async def create_claim(context: Context, account_id: ObjectId, raw_key: str) -> tuple[dict, bool]:
    """A new pending claim, or the account's open claim for the key (created=False)."""
    key = await _immutable(context, claim_key(raw_key))
    existing = await store.open_claim_of(context.db, account_id, key.key)
    if existing is not None:
        return existing, False
    await db_rate_limit(
        context.db,
        f"claims:create:{account_id}",
        *CREATE_LIMIT,
        context.clock.now(),
        "Too many new claims from this account today; try again tomorrow.",
    )
    # A token is bound to one account and one key: a new claim after a lapse keeps it, so
    # the record already published goes on working.
    previous = await store.latest_claim_of(context.db, account_id, key.key)
    doc = {
        "_id": ObjectId(),
        "account_id": account_id,
        "key": key.key,
        "token": previous["token"] if previous else new_token(),
        "status": "pending",
        "open": True,
        "created_at": context.clock.now(),
        "declined": False,
        "consecutive_failures": 0,
        "last_check": None,
    }
    try:
        await store.insert_claim(context.db, doc)
    except DuplicateKeyError:  # the same request twice at once
        existing = await store.open_claim_of(context.db, account_id, key.key)
        if existing is None:
            raise
        return existing, False
    await history.record(context, doc, "created", actor=account_id, message=f"Claim of {key.key}.")
    return doc, True


async def own_claim(context: Context, account_id: ObjectId, claim_id: str) -> dict:
    """The claim if it belongs to this account; 404 otherwise (its existence is not told)."""
    claim = await store.get_claim(context.db, parse_id(claim_id))
    if claim is None or claim["account_id"] != account_id:
        raise NotFound("claim_not_found", f"You have no claim {claim_id}.")
    return claim


async def readable_claim(context: Context, principal, claim_id: str) -> dict:
    """For history: the claim's own account, or an administrator."""
    if principal.is_admin:
        claim = await store.get_claim(context.db, parse_id(claim_id))
        if claim is None:
            raise NotFound("claim_not_found", f"There is no claim {claim_id}.")
        return claim
    return await own_claim(context, principal.account_id, claim_id)


async def _limit_attempts(context: Context, account_id: ObjectId, key: ClaimKey) -> None:
    now = context.clock.now()
    await db_rate_limit(
        context.db,
        f"claims:verify:account:{account_id}",
        *VERIFY_LIMIT_ACCOUNT,
        now,
        "Too many verification attempts from this account; wait a while before trying again.",
    )
    await db_rate_limit(
        context.db,
        f"claims:verify:target:{key.rate_scope}",
        *VERIFY_LIMIT_TARGET,
        now,
        f"Too many verification attempts for {key.rate_scope}; wait a while before trying again.",
    )


async def verify(
    context: Context,
    account_id: ObjectId,
    claim_id: str,
    proof_url: str | None = None,
    *,
    decline: bool = False,
) -> VerifyOutcome:
    """Run the checks of a claim now. `decline`: once proved, the key declines donations,
    so the money waiting for it goes back to its funders instead of to this account."""
    outcome = await _verify(context, account_id, claim_id, proof_url, decline)
    claim = outcome.claim
    if claim.get("decline_on_verify") and claim["status"] == "verified":
        from registry_service.claims.decline import decline as decline_key

        declined = await decline_key(
            context, account_id, claim_id, "declined when the key was proved"
        )
        outcome = VerifyOutcome(declined, outcome.result, outcome.message)
    return outcome


async def _verify(
    context: Context, account_id: ObjectId, claim_id: str, proof_url: str | None, decline: bool
) -> VerifyOutcome:
    from registry_service.claims.rechecks import apply_check

    claim = await own_claim(context, account_id, claim_id)
    if not claim.get("open"):
        raise Conflict(
            "claim_closed",
            f"This claim is {claim['status']}; start a new claim of {claim['key']} "
            "(POST /api/v1/claims) to prove it again.",
        )
    key = stored_key(claim)
    await _limit_attempts(context, account_id, key)
    if decline and not claim.get("decline_on_verify"):
        # Remembered before the checks run: proving the key must not release its escrow.
        claim = await store.update_claim(
            context.db, claim["_id"], {"$set": {"decline_on_verify": True}}
        ) or {**claim, "decline_on_verify": True}
    handle = await account_handle(context, account_id)
    proof_url = proof_url or claim.get("proof_url")
    result = await run_checks(
        context, key, claim["token"], account_id=account_id, handle=handle, proof_url=proof_url
    )
    CHECKS.labels("verify", "ok" if result.ok else "failed").inc()
    if result.ok and proof_url and proof_url != claim.get("proof_url"):
        # The page the person named (a gist) is where later re-checks look too.
        claim = await store.update_claim(
            context.db, claim["_id"], {"$set": {"proof_url": proof_url}}
        ) or {**claim, "proof_url": proof_url}
    if claim["status"] == "verified":
        updated = await apply_check(context, claim, result, actor=account_id)
        return VerifyOutcome(updated, result, result.summary())
    if not result.ok:
        now = context.clock.now()
        updated = await store.update_claim(
            context.db,
            claim["_id"],
            {"$set": {"last_check": transitions.check_doc(result, now)}},
        )
        await history.record(
            context,
            claim,
            "check_failed",
            actor=account_id,
            evidence={"findings": result.to_docs()},
            message=result.summary(),
        )
        return VerifyOutcome(updated or claim, result, result.summary())
    updated = await _become_owner(context, claim, result)
    return VerifyOutcome(updated, result, result.summary())


async def _become_owner(context: Context, claim: dict, result: CheckResult) -> dict:
    for _ in range(3):  # the owner may change under us; look again
        updated = await transitions.claim_ownership(context, claim, result)
        if updated is not None:
            return updated
        owner = await store.get_owner(context.db, claim["key"])
        if owner is None:
            continue
        old_claim = await store.get_claim(context.db, owner["claim_id"])
        if old_claim is None:
            continue
        old_result = await _current_owner_check(context, old_claim)
        if old_result.ok:
            raise _owned_elsewhere(claim, result, "whose proof still holds")
        if not old_result.proof_gone(
            old_claim.get("verified_method"), old_claim.get("verified_target")
        ):
            raise _owned_elsewhere(
                claim,
                result,
                "whose proof could not be checked just now (their site or DNS did not answer)",
                retry=True,
            )
        updated = await transitions.take_over(context, claim, old_claim, result, old_result)
        if updated is not None:
            return updated
    raise Conflict("claim_busy", "The owner of this key changed meanwhile; verify again.")


async def _current_owner_check(context: Context, old_claim: dict) -> CheckResult:
    key = stored_key(old_claim)
    handle = await account_handle(context, old_claim["account_id"])
    return await run_checks(
        context,
        key,
        old_claim["token"],
        account_id=old_claim["account_id"],
        handle=handle,
        proof_url=old_claim.get("proof_url"),
    )


def _owned_elsewhere(claim: dict, result: CheckResult, why: str, retry: bool = False) -> ApiError:
    then = (
        "Try again later."
        if retry
        else (
            "A key changes hands only when the previous owner's proof is gone "
            "(their DNS record, file, tag or profile text removed)."
        )
    )
    return Conflict(
        "key_owned_by_another",
        f"Your proof for {claim['key']} is in place, but the key is verified by another "
        f"account {why}. {then}",
        extra={"findings": [_public(f) for f in result.to_docs()]},
    )


def _public(finding: dict) -> dict:
    return {k: finding[k] for k in ("method", "target", "outcome", "ok", "message")}


async def withdraw(context: Context, account_id: ObjectId, claim_id: str) -> dict:
    claim = await own_claim(context, account_id, claim_id)
    if not claim.get("open"):
        raise Conflict("claim_closed", f"This claim is already {claim['status']}.")
    updated = await transitions.end_ownership(
        context,
        claim,
        status="withdrawn",
        event="withdrawn",
        message=f"You withdrew your claim of {claim['key']}.",
        evidence={},
        actor=account_id,
    )
    if updated is None:
        raise Conflict("claim_busy", "This claim changed meanwhile; look at it again.")
    return updated
