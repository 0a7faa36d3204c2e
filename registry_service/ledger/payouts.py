"""Payouts: creators withdraw their balance through the provider; never below zero."""

from __future__ import annotations

from bson import ObjectId
from bson.errors import InvalidId

from registry_service.api.errors import NotFound, Unprocessable
from registry_service.context import Context
from registry_service.ledger import accounts as acct
from registry_service.ledger import journal, store
from registry_service.ledger.money import MAX_CENTS
from registry_service.ledger.months import month_of
from registry_service.ledger.providers import get_provider


def public(payout: dict) -> dict:
    return {
        "id": str(payout["_id"]),
        "amount_cents": payout["amount_cents"],
        "state": payout["state"],
        "provider": payout["provider"],
        "created_at": payout["created_at"].isoformat(),
    }


async def request(context: Context, account_id: str, amount_cents: int) -> dict:
    if not 0 < amount_cents <= MAX_CENTS:
        raise Unprocessable("invalid_amount", "amount_cents must be a positive number of cents.")
    provider = get_provider(context)
    now = context.clock.now()
    payout = {
        "_id": ObjectId(),
        "account_id": account_id,
        "amount_cents": amount_cents,
        "provider": provider.name,
        "state": "requested",
        "created_at": now,
    }
    account = acct.creator_account(account_id)

    async def build(balance: int) -> dict:
        if amount_cents > balance:
            raise Unprocessable(
                "insufficient_balance",
                f"You can withdraw at most {balance} cents; {amount_cents} is more.",
                extra={"balance_cents": balance},
            )
        return journal.new_txn(
            f"payout:{payout['_id']}",
            "payout",
            [
                {"account": account, "cents": -amount_cents},
                {"account": acct.provider_account(provider.name), "cents": amount_cents},
            ],
            month=month_of(now),
            at=now,
            recorded_at=now,
            payout_id=str(payout["_id"]),
        )

    await context.db[store.PAYOUTS].insert_one(payout)
    try:
        await journal.guarded_debit(context.db, account, build)
    except Unprocessable:
        await context.db[store.PAYOUTS].update_one(
            {"_id": payout["_id"]}, {"$set": {"state": "refused"}}
        )
        raise
    result = await provider.send_payout(payout)
    payout["state"] = "paid" if result.state == "succeeded" else "pending"
    await context.db[store.PAYOUTS].update_one(
        {"_id": payout["_id"]}, {"$set": {"state": payout["state"], "reference": result.reference}}
    )
    return public(payout) | {"balance_cents": await journal.balance(context.db, account)}


async def list_for(context: Context, account_id: str) -> list[dict]:
    cursor = (
        context.db[store.PAYOUTS]
        .find({"account_id": account_id, "state": {"$ne": "refused"}})
        .sort("created_at", -1)
    )
    return [public(p) async for p in cursor]


async def provider_outcome(context: Context, reference: str, paid: bool) -> bool:
    """A provider's word on a pending payout; a failed one returns the money, once."""
    try:
        oid = ObjectId(reference)
    except (InvalidId, TypeError):
        raise NotFound("unknown_reference", f"No payout has the reference {reference!r}.") from None
    payouts = context.db[store.PAYOUTS]
    payout = await payouts.find_one({"_id": oid})
    if payout is None:
        raise NotFound("unknown_reference", f"No payout has the reference {reference!r}.")
    if payout["state"] in ("paid", "failed"):
        return False
    if paid:
        result = await payouts.update_one(
            {"_id": oid, "state": {"$nin": ["paid", "failed", "failing"]}},
            {"$set": {"state": "paid"}},
        )
        return result.modified_count == 1
    # A failure returns the money. The payout is taken for it first, so a "paid" arriving
    # at the same moment cannot also win; the refund is idempotent, and a run cut short
    # after taking it finishes on the provider's retry (the state is still "failing").
    taken = await payouts.update_one(
        {"_id": oid, "state": {"$nin": ["paid", "failed"]}}, {"$set": {"state": "failing"}}
    )
    if taken.matched_count == 0:
        return False
    now = context.clock.now()
    await journal.record(
        context.db,
        journal.new_txn(
            f"payout-failed:{oid}",
            "payout_failed",
            [
                {
                    "account": acct.provider_account(payout["provider"]),
                    "cents": -payout["amount_cents"],
                },
                {
                    "account": acct.creator_account(payout["account_id"]),
                    "cents": payout["amount_cents"],
                },
            ],
            month=month_of(now),
            at=now,
            recorded_at=now,
            payout_id=str(oid),
        ),
    )
    result = await payouts.update_one(
        {"_id": oid, "state": "failing"}, {"$set": {"state": "failed"}}
    )
    return result.modified_count == 1
