"""The double-entry journal: one document per movement, holding all its postings.

* A movement's `_id` is its idempotency key: recording it twice records it once, and
  since one document is written atomically, a movement is all there or not at all —
  on a standalone server, a replica set or a sharded cluster alike.
* Balances are sums of postings. A movement that must first see a balance (a payout,
  a gift, a month's settlement) takes the next slot of that account's debit chain:
  `slot = "<account>#<seq>"` is unique, so of two debits computed from the same balance
  only one can be recorded; the other re-reads and tries again. Credits never go away,
  so the balance read after the chain's last slot is a safe lower bound.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from registry_service.ledger import store
from registry_service.ledger.testhooks import note_write

MAX_ATTEMPTS = 200


class Unbalanced(ValueError):
    """Postings that do not add up to zero, or that are not integer cents."""


class SlotTaken(Exception):
    """Another debit took this account's next slot first: re-read and try again."""


def check_postings(postings: list[dict]) -> None:
    total = 0
    for posting in postings:
        cents = posting["cents"]
        if type(cents) is not int:  # bool and float are refused alike
            raise Unbalanced(f"{posting['account']}: {cents!r} is not integer cents")
        total += cents
    if total != 0:
        raise Unbalanced(f"postings add up to {total}, not 0")


def new_txn(
    txn_id: str,
    kind: str,
    postings: list[dict],
    *,
    month: str,
    at: datetime,
    recorded_at: datetime,
    **fields,
) -> dict:
    check_postings(postings)
    return {
        "_id": txn_id,
        "kind": kind,
        "month": month,
        "at": at,
        "recorded_at": recorded_at,
        "postings": postings,
        "slot": "txn:" + txn_id,
        **fields,
    }


def set_guard(txn: dict, account: str, seq: int) -> dict:
    txn["guard"] = {"account": account, "seq": seq}
    txn["slot"] = f"{account}#{seq}"
    return txn


async def record(db: AsyncDatabase, txn: dict) -> bool:
    """Record a movement; False when its idempotency key was already recorded.

    Raises `SlotTaken` when a guarded debit lost its slot to another debit.
    """
    check_postings(txn["postings"])
    try:
        await store.journal(db).insert_one(txn)
    except DuplicateKeyError as exc:
        if "slot" in (exc.details or {}).get("keyValue", {}):
            if await store.journal(db).find_one({"_id": txn["_id"]}, {"_id": 1}):
                return False
            raise SlotTaken(txn["slot"]) from None
        return False
    note_write()
    return True


async def latest_seqs(db: AsyncDatabase, accounts: Iterable[str]) -> dict[str, int]:
    """The last debit slot taken on each account (0 when none)."""
    wanted = list(dict.fromkeys(accounts))
    seqs = dict.fromkeys(wanted, 0)
    if not wanted:
        return seqs
    cursor = await store.journal(db).aggregate(
        [
            {"$match": {"guard.account": {"$in": wanted}}},
            {"$group": {"_id": "$guard.account", "seq": {"$max": "$guard.seq"}}},
        ]
    )
    async for row in cursor:
        seqs[row["_id"]] = int(row["seq"])
    return seqs


async def balances(db: AsyncDatabase, accounts: Iterable[str]) -> dict[str, int]:
    """The balance of each account: the sum of its postings."""
    wanted = list(dict.fromkeys(accounts))
    totals = dict.fromkeys(wanted, 0)
    if not wanted:
        return totals
    cursor = await store.journal(db).aggregate(
        [
            {"$match": {"postings.account": {"$in": wanted}}},
            {"$unwind": "$postings"},
            {"$match": {"postings.account": {"$in": wanted}}},
            {"$group": {"_id": "$postings.account", "cents": {"$sum": "$postings.cents"}}},
        ]
    )
    async for row in cursor:
        totals[row["_id"]] = int(row["cents"])
    return totals


async def latest_seqs_in_range(db: AsyncDatabase, first: str, last: str) -> dict[str, int]:
    """The last debit slot of every account between `first` and `last` (inclusive).

    A range scan of the index: much cheaper than one lookup per account for a batch of
    consecutive accounts (the settlement walks funders in id order).
    """
    cursor = await store.journal(db).aggregate(
        [
            {"$match": {"guard.account": {"$gte": first, "$lte": last}}},
            {"$group": {"_id": "$guard.account", "seq": {"$max": "$guard.seq"}}},
        ]
    )
    return {row["_id"]: int(row["seq"]) async for row in cursor}


async def balances_in_range(db: AsyncDatabase, first: str, last: str) -> dict[str, int]:
    """The balance of every account between `first` and `last` (inclusive) with postings."""
    totals: dict[str, int] = {}
    cursor = store.journal(db).find(
        {"postings.account": {"$gte": first, "$lte": last}}, {"postings": 1}
    )
    async for txn in cursor:
        for posting in txn["postings"]:
            if first <= posting["account"] <= last:
                totals[posting["account"]] = totals.get(posting["account"], 0) + posting["cents"]
    return totals


async def balance(db: AsyncDatabase, account: str) -> int:
    return (await balances(db, [account]))[account]


async def guarded_debit(
    db: AsyncDatabase,
    account: str,
    build: Callable[[int], Awaitable[dict | None]],
) -> tuple[dict | None, bool]:
    """Record the movement `build(balance)` returns as the next debit of `account`.

    `build` sees a balance that no concurrent debit can spend meanwhile; it returns the
    movement, or None for nothing to do, or raises to refuse. Returns (movement,
    recorded): recorded is False when the movement's idempotency key existed already.
    """
    for attempt in range(MAX_ATTEMPTS):
        seq = (await latest_seqs(db, [account]))[account]  # first the chain's end ...
        available = await balance(db, account)  # ... then a balance including all of it
        txn = await build(available)
        if txn is None:
            return None, False
        set_guard(txn, account, seq + 1)
        try:
            return txn, await record(db, txn)
        except SlotTaken:
            await asyncio.sleep(random.uniform(0, 0.002 * (attempt + 1)))
    raise RuntimeError(f"could not take a debit slot on {account} after {MAX_ATTEMPTS} tries")
