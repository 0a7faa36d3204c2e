"""Escrow for unclaimed keys: lots, release to a verifier, refunds to funders.

A lot is an escrow posting in a settlement or gift (funder, month, key, cents, expiry).
Lots leave escrow only through debits of the key's escrow account, which take the
account's next debit slot (see `journal`) and list the lots they consume: so each lot
is released or refunded exactly once, even when a release and an expiry race.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from bson import ObjectId

from registry_service.accounts.ngo import ngo_accounts
from registry_service.claims.ownership import ACCOUNT_NAMESPACE, STANDING_DECLINES, owners_of
from registry_service.claims.ownership import COLLECTION as KEY_OWNERS
from registry_service.context import Context
from registry_service.ledger import accounts as acct
from registry_service.ledger import journal, store
from registry_service.ledger.money import commission
from registry_service.ledger.months import month_of
from registry_service.ledger.plan import lot_id

log = logging.getLogger("omniflattr.ledger.escrow")
OWNED_CHUNK = 500  # escrow accounts per balance lookup
# Written by the crawler: a handle key (youtube:@alice) -> the immutable key it names.
ALIASES = "key_aliases"


async def lots_of(context: Context, key: str) -> list[dict]:
    """Every lot ever put in escrow for `key`, oldest first."""
    account = acct.escrow_account(key)
    cursor = await store.journal(context.db).aggregate(
        [
            {"$match": {"postings.account": account}},
            {"$unwind": "$postings"},
            {"$match": {"postings.account": account, "postings.lot": True}},
            {
                "$project": {
                    "funder": 1,
                    "month": 1,
                    "since": "$lot_since",
                    "expires_at": "$lot_expires_at",
                    "cents": "$postings.cents",
                }
            },
        ]
    )
    lots = [
        {
            "id": lot_id(row["_id"], key),
            "funder": row["funder"],
            "month": row["month"],
            "since": row["since"],
            "expires_at": row["expires_at"],
            "cents": int(row["cents"]),
        }
        async for row in cursor
    ]
    return sorted(lots, key=lambda lot: (lot["since"], lot["id"]))


async def consumed_lots(context: Context, key: str) -> set[str]:
    cursor = store.journal(context.db).find(
        {"guard.account": acct.escrow_account(key)}, {"consumes": 1}
    )
    return {lot_id async for txn in cursor for lot_id in txn.get("consumes", [])}


async def open_lots(context: Context, key: str) -> list[dict]:
    consumed = await consumed_lots(context, key)
    return [lot for lot in await lots_of(context, key) if lot["id"] not in consumed]


async def _consume(
    context: Context,
    key: str,
    choose: Callable[[list[dict]], list[dict]],
    build: Callable[[list[dict], int, set[str]], dict | None],
) -> dict | None:
    """Record `build(lots, seq, taken)` for the open lots `choose` picks, as escrow's next
    debit (`taken`: movement ids found recorded already, so `build` picks another)."""
    account = acct.escrow_account(key)
    taken: set[str] = set()
    for _ in range(journal.MAX_ATTEMPTS):
        seq = (await journal.latest_seqs(context.db, [account]))[account]
        lots = choose(await open_lots(context, key))
        if not lots:
            return None
        txn = build(lots, seq + 1, taken)
        if txn is None:
            return None
        txn["consumes"] = [lot["id"] for lot in lots]
        journal.set_guard(txn, account, seq + 1)
        try:
            if await journal.record(context.db, txn):
                return txn
            taken.add(txn["_id"])
        except journal.SlotTaken:
            continue
    raise RuntimeError(f"could not take a debit slot on {account}")


def _refund_postings(key: str, lots: list[dict]) -> list[dict]:
    total = sum(lot["cents"] for lot in lots)
    postings = [{"account": acct.escrow_account(key), "cents": -total, "key": key}]
    postings += [
        {"account": acct.funder_account(lot["funder"]), "cents": lot["cents"], "lot_id": lot["id"]}
        for lot in lots
    ]
    return postings


async def refund_lots(
    context: Context, key: str, *, reason: str, before: datetime | None = None
) -> int:
    """Return open lots of `key` (all, or those expiring by `before`) to their funders."""
    now = context.clock.now()

    def choose(lots: list[dict]) -> list[dict]:
        return [lot for lot in lots if before is None or lot["expires_at"] <= before]

    def build(lots: list[dict], seq: int, taken: set[str]) -> dict:
        kind = "expire" if before is not None else "refund"
        return journal.new_txn(
            f"{kind}:{key}:{seq}",
            kind,
            _refund_postings(key, lots),
            month=month_of(now),
            at=now,
            recorded_at=now,
            key=key,
            reason=reason,
        )

    txn = await _consume(context, key, choose, build)
    return -txn["postings"][0]["cents"] if txn else 0


async def refund_key_escrow(context: Context, key: str, *, reason: str) -> int:
    """Return all escrow of `key` (and of the handle keys that name it) to the funders it
    came from (a declined key)."""
    refunded = 0
    for each in [key, *sorted(await handle_keys_of(context, [key]))]:
        cents = await refund_lots(context, each, reason=reason)
        if cents:
            log.info("refunded %d cents of escrow for %s (%s)", cents, each, reason)
        refunded += cents
    return refunded


async def release_key_escrow(
    context: Context, key: str, *, claim_id: ObjectId, account_id: ObjectId
) -> int:
    """`release_escrow` for a key and the handle keys that name it (one verification)."""
    cents = 0
    for each in [key, *sorted(await handle_keys_of(context, [key]))]:
        cents += await release_escrow(context, each, claim_id=claim_id, account_id=account_id)
    return cents


async def release_escrow(
    context: Context, key: str, *, claim_id: ObjectId, account_id: ObjectId
) -> int:
    """Credit all escrow of `key` to its verifier (minus commission), once per claim.

    Returns the cents credited to the verifier for this claim (the same on a repeat).
    """
    now = context.clock.now()
    claim = str(claim_id) if claim_id is not None else f"account-{account_id}"
    base_id = f"release:{key}:{claim}"
    ngo = str(account_id) in await ngo_accounts(context.db, [account_id])
    if await store.journal(context.db).find_one({"_id": base_id}, {"_id": 1}):
        taken_before = {base_id}
    else:
        taken_before = set()

    def build(lots: list[dict], seq: int, taken: set[str]) -> dict:
        total = sum(lot["cents"] for lot in lots)
        cut = commission(total, context.settings.commission_bp, ngo=ngo)
        postings = [
            {"account": acct.escrow_account(key), "cents": -total, "key": key},
            {"account": acct.creator_account(account_id), "cents": total - cut, "key": key},
        ]
        if cut:
            postings.append({"account": acct.COMMISSION, "cents": cut, "key": key})
        return journal.new_txn(
            base_id if base_id not in taken | taken_before else f"{base_id}:{seq}",
            "release",
            [p for p in postings if p["cents"]],
            month=month_of(now),
            at=now,
            recorded_at=now,
            key=key,
            claim=claim,
            account_id=str(account_id),
        )

    txn = await _consume(context, key, lambda lots: lots, build)
    if txn:
        log.info("released %s of escrow for %s to %s", txn["postings"][1]["cents"], key, account_id)
    return await released_to_claim(context, key, claim)


async def released_to_claim(context: Context, key: str, claim: str) -> int:
    cursor = store.journal(context.db).find({"kind": "release", "key": key, "claim": claim})
    total = 0
    async for txn in cursor:
        total += sum(p["cents"] for p in txn["postings"] if p["account"].startswith(acct.CREATOR))
    return total


async def handle_keys_of(context: Context, keys: list[str]) -> dict[str, str]:
    """Handle keys a crawl found to name one of `keys`: {handle key: key}. Money settled
    under a handle before its immutable id was known belongs to that id's owner too."""
    if not keys:
        return {}
    wanted = set(keys)
    cursor = context.db[ALIASES].find({"key": {"$in": list(wanted)}}, {"key": 1})
    return {doc["_id"]: doc["key"] async for doc in cursor if doc["_id"] not in wanted}


async def owned_keys_with_money(context: Context) -> dict[str, int]:
    """Keys with an owner now (claimed or declined), or standing declined, whose escrow
    holds money, with totals.

    Starts from the owners, not from every escrow posting ever made: the journal grows
    with every month settled, the keys that have owners far more slowly.
    """
    keys = [d["_id"] async for d in context.db[KEY_OWNERS].find({}, {"_id": 1})]
    # Keys that stay declined after their claim ended: money that reached one goes back.
    keys += [d["_id"] async for d in context.db[STANDING_DECLINES].find({}, {"_id": 1})]
    keys += sorted(await handle_keys_of(context, keys))
    # Accounts' own keys (omniflattr:<handle>) are owned without a key_owners document.
    prefix = acct.escrow_account(ACCOUNT_NAMESPACE + ":")
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)  # a range scan of the postings index
    cursor = store.journal(context.db).find(
        {"postings.account": {"$gte": prefix, "$lt": upper}}, {"postings.account": 1}
    )
    found = {p["account"] async for txn in cursor for p in txn["postings"]}
    keys += sorted(acct.key_of_escrow(a) for a in found if a.startswith(prefix))
    held: dict[str, int] = {}
    for start in range(0, len(keys), OWNED_CHUNK):
        chunk = [acct.escrow_account(k) for k in keys[start : start + OWNED_CHUNK]]
        for account, cents in (await journal.balances(context.db, chunk)).items():
            if cents > 0:
                held[acct.key_of_escrow(account)] = cents
    return held


async def expire_escrow(context: Context) -> tuple[int, int]:
    """Refund every lot past its expiry to its funder. Returns (keys, cents)."""
    now = context.clock.now()
    cursor = await store.journal(context.db).aggregate(
        [
            {"$match": {"lot_expires_at": {"$lte": now}}},
            {"$unwind": "$postings"},
            {"$match": {"postings.lot": True}},
            {"$group": {"_id": "$postings.key"}},
        ]
    )
    candidates = [row["_id"] async for row in cursor]
    held = await journal.balances(context.db, [acct.escrow_account(k) for k in candidates])
    keys = cents = 0
    for key in candidates:
        if held[acct.escrow_account(key)] <= 0:
            continue
        refunded = await refund_lots(context, key, reason="expired", before=now)
        if refunded:
            keys, cents = keys + 1, cents + refunded
    return keys, cents


async def settle_owned_escrow(context: Context) -> tuple[int, int]:
    """Release escrow of keys that are claimed now; refund escrow of declined keys.

    Verification releases at once; this catches lots that arrived while a claim was
    being verified, and keys declined without a refund. Returns (released, refunded) cents.
    """
    held = await owned_keys_with_money(context)
    owners = await owners_of(context.db, held)
    # Handle keys whose money belongs to the owner of the immutable key they name.
    unowned = [key for key in held if key not in owners]
    cursor = context.db[ALIASES].find({"_id": {"$in": unowned}}, {"key": 1})
    named = {doc["_id"]: doc["key"] async for doc in cursor} if unowned else {}
    their_owners = await owners_of(context.db, set(named.values()))
    owners |= {handle: their_owners[key] for handle, key in named.items() if key in their_owners}
    released = refunded = 0
    for key, owner in owners.items():
        if owner.declined:
            refunded += await refund_key_escrow(context, key, reason="declined")
        else:
            before = await released_to_claim(
                context, key, str(owner.claim_id or f"account-{owner.account_id}")
            )
            after = await release_escrow(
                context, key, claim_id=owner.claim_id, account_id=owner.account_id
            )
            released += after - before
    return released, refunded
