"""What the public sees of escrow: totals, supporter counts and dates — no funder identities."""

from __future__ import annotations

from registry_service.context import Context
from registry_service.ledger import accounts as acct
from registry_service.ledger import store
from registry_service.ledger.escrow import open_lots


def summarize(key: str, lots: list[dict]) -> dict:
    oldest = min(lots, key=lambda lot: lot["since"], default=None)
    return {
        "key": key,
        "total_cents": sum(lot["cents"] for lot in lots),
        "supporters": len({lot["funder"] for lot in lots}),
        "lots": len(lots),
        "oldest_lot": oldest["since"].isoformat() if oldest else None,
        "expires_at": (min(lot["expires_at"] for lot in lots).isoformat() if lots else None),
    }


async def key_summary(context: Context, key: str) -> dict:
    return summarize(key, await open_lots(context, key))


async def keys_page(context: Context, *, after: str | None, limit: int) -> dict:
    """Keys with money waiting, by key, `limit` at a time (cursor: the last key seen)."""
    lower = acct.escrow_account(after) if after else acct.ESCROW
    match = {"postings.account": {"$gt": lower, "$lt": "escrow;"}}
    cursor = await store.journal(context.db).aggregate(
        [
            {"$match": match},
            {"$unwind": "$postings"},
            {"$match": match},
            {"$group": {"_id": "$postings.account", "cents": {"$sum": "$postings.cents"}}},
            {"$match": {"cents": {"$gt": 0}}},
            {"$sort": {"_id": 1}},
            {"$limit": limit + 1},
        ]
    )
    rows = [row async for row in cursor]
    keys = []
    for row in rows[:limit]:
        key = acct.key_of_escrow(row["_id"])
        summary = await key_summary(context, key)
        keys.append(
            {
                "key": key,
                "total_cents": summary["total_cents"],
                "supporters": summary["supporters"],
                "since": summary["oldest_lot"],
                "expires_at": summary["expires_at"],
            }
        )
    return {"keys": keys, "next": keys[-1]["key"] if len(rows) > limit and keys else None}
