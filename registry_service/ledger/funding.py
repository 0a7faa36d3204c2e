"""Topping up a funder's balance: quotes, the provider, signed webhooks."""

from __future__ import annotations

import json

from bson import ObjectId

from registry_service.api.errors import ApiError, BadRequest, NotFound, Unprocessable
from registry_service.context import Context
from registry_service.ledger import accounts as acct
from registry_service.ledger import funders, journal, payouts, store
from registry_service.ledger.money import MAX_CENTS, quote
from registry_service.ledger.months import month_of
from registry_service.ledger.providers import get_provider
from registry_service.ledger.providers.webhook import SIGNATURE_HEADER, verify


def checked_quote(context: Context, amount_cents: int, method: str) -> dict:
    fees = context.settings.fees
    if method not in fees:
        raise BadRequest(
            "invalid_method", f"{method!r} is not a payment method; use one of {', '.join(fees)}."
        )
    if not 0 < amount_cents <= MAX_CENTS:
        raise Unprocessable("invalid_amount", "amount_cents must be a positive number of cents.")
    result = quote(amount_cents, method, fees)
    if result["credited_cents"] <= 0:
        raise Unprocessable(
            "amount_below_fee",
            f"{amount_cents} cents do not cover the {method} fee of {result['fee_cents']} cents; "
            "top up more.",
        )
    return result


async def start(context: Context, funder_id: str, amount_cents: int, method: str) -> dict:
    """Create a top-up; the sandbox credits it at once, a real provider on its webhook."""
    priced = checked_quote(context, amount_cents, method)
    provider = get_provider(context)
    intent = {
        "_id": "fi_" + str(ObjectId()),
        "funder": funder_id,
        "amount_cents": amount_cents,
        "method": method,
        "fee_cents": priced["fee_cents"],
        "credited_cents": priced["credited_cents"],
        "provider": provider.name,
        "state": "pending",
        "created_at": context.clock.now(),
    }
    await context.db[store.FUNDING_INTENTS].insert_one(intent)
    result = await provider.start_funding(intent)
    if result.state == "succeeded":
        await complete(context, intent["_id"], amount_cents)
        intent["state"] = "succeeded"
    return public(intent) | {"balance_cents": await funders_balance(context, funder_id)}


async def funders_balance(context: Context, funder_id: str) -> int:
    return await journal.balance(context.db, acct.funder_account(funder_id))


def public(intent: dict) -> dict:
    return {
        "reference": intent["_id"],
        "state": intent["state"],
        "amount_cents": intent["amount_cents"],
        "method": intent["method"],
        "fee_cents": intent["fee_cents"],
        "credited_cents": intent["credited_cents"],
        "provider": intent["provider"],
    }


async def complete(context: Context, reference: str, amount_cents: int | None) -> bool:
    """Credit a paid top-up, once (`fund:{reference}`). False when it was credited before."""
    intents = context.db[store.FUNDING_INTENTS]
    intent = await intents.find_one({"_id": reference})
    if intent is None:
        raise NotFound("unknown_reference", f"No top-up has the reference {reference!r}.")
    if amount_cents is not None and amount_cents != intent["amount_cents"]:
        raise Unprocessable(
            "amount_mismatch",
            f"The provider reports {amount_cents} cents; the top-up was {intent['amount_cents']}.",
        )
    if intent["state"] == "failed":
        raise Unprocessable("funding_failed", "This top-up was reported as failed before.")
    now = context.clock.now()
    provider = intent["provider"]
    txn = journal.new_txn(
        f"fund:{reference}",
        "fund",
        [
            {"account": acct.provider_account(provider), "cents": -intent["amount_cents"]},
            {"account": acct.provider_fees_account(provider), "cents": intent["fee_cents"]},
            {"account": acct.funder_account(intent["funder"]), "cents": intent["credited_cents"]},
        ],
        month=month_of(now),
        at=now,
        recorded_at=now,
        funder=intent["funder"],
        method=intent["method"],
    )
    recorded = await journal.record(context.db, txn)
    await intents.update_one({"_id": reference}, {"$set": {"state": "succeeded"}})
    funders.forget(context, intent["funder"])
    return recorded


async def fail(context: Context, reference: str) -> bool:
    intents = context.db[store.FUNDING_INTENTS]
    result = await intents.update_one(
        {"_id": reference, "state": "pending"}, {"$set": {"state": "failed"}}
    )
    if result.matched_count == 0 and await intents.find_one({"_id": reference}) is None:
        raise NotFound("unknown_reference", f"No top-up has the reference {reference!r}.")
    return result.modified_count == 1


async def handle_webhook(context: Context, headers, body: bytes) -> dict:
    """A provider's signed event. Replays are answered but counted once."""
    secret = context.settings.webhook_secret
    if not secret:
        raise ApiError(
            "webhooks_disabled", "This service has no webhook secret configured.", status=403
        )
    problem = verify(secret, headers.get(SIGNATURE_HEADER, ""), body, context.clock.now())
    if problem:
        raise ApiError("invalid_signature", f"Webhook refused: {problem}.", status=401)
    try:
        event = json.loads(body)
        kind, reference = event["type"], str(event["reference"])
        amount = event.get("amount_cents")
    except (ValueError, KeyError, TypeError):
        raise BadRequest(
            "invalid_event", "The event needs a type and a reference (JSON)."
        ) from None
    if amount is not None and type(amount) is not int:
        raise BadRequest("invalid_event", "amount_cents must be integer cents.")
    if kind == "funding.succeeded":
        credited = await complete(context, reference, amount)
        return {"received": True, "credited": credited, "already": not credited}
    if kind == "funding.failed":
        changed = await fail(context, reference)
        return {"received": True, "already": not changed}
    if kind in ("payout.paid", "payout.failed"):
        changed = await payouts.provider_outcome(context, reference, kind == "payout.paid")
        return {"received": True, "already": not changed}
    raise BadRequest("invalid_event", f"Unknown event type {kind!r}.")
