"""The figures of the account overview: balances, this month, and claims at a glance."""

from __future__ import annotations

from bson import ObjectId

from registry_service.claims import store as claims_store
from registry_service.context import Context
from registry_service.ledger import accounts as acct
from registry_service.ledger import escrow_views, flattrs, funders, journal
from registry_service.ledger.projection import project


async def money_summary(context: Context, account_id: ObjectId) -> dict:
    who = str(account_id)
    snap = await funders.snapshot(context, who, fresh=True)
    entries = await flattrs.month_entries(context, who, context.clock.month())
    projected = project(snap.budget, snap.balance_cents, entries)
    creator_balance = await journal.balance(context.db, acct.creator_account(who))
    claims = await claims_store.claims_of(context.db, account_id)
    pending = [c for c in claims if c["status"] == "pending" and c.get("open")]
    waiting = 0
    for claim in pending:
        waiting += (await escrow_views.key_summary(context, claim["key"]))["total_cents"]
    return {
        "balance_cents": snap.balance_cents,
        "budget": snap.budget,
        "budget_set": snap.budget_set,
        "month": context.clock.month(),
        "flattrs": projected.flattrs,
        "projected_cents": projected.spend_cents,
        "creator_balance_cents": creator_balance,
        "verified_claims": sum(1 for c in claims if c["status"] == "verified"),
        "pending_claims": len(pending),
        "waiting_cents": waiting,
    }
