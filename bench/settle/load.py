"""Synthetic ledger data, bulk-loaded with insert_many."""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, datetime

from bson import ObjectId
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from registry_service.accounts.tokens import token_hash
from registry_service.ledger import accounts as acct
from registry_service.ledger.journal import new_txn
from registry_service.ledger.store import flattr_id
from registry_service.ledger.things import thing_id_for

MONTH = "2026-10"
AT = datetime(2026, 10, 5, tzinfo=UTC)
CHUNK = 500


async def _insert(collection, docs: list[dict]) -> None:
    for start in range(0, len(docs), CHUNK):
        try:
            await collection.insert_many(docs[start : start + CHUNK], ordered=False)
        except BulkWriteError as exc:  # a retried batch finds its own documents: fine
            if any(e.get("code") != 11000 for e in exc.details.get("writeErrors", [])):
                raise


def thing_urls(count: int) -> list[str]:
    return [f"https://site{i % 997}.org/post/{i}" for i in range(count)]


async def load_month(db: AsyncDatabase, funders: int, per_funder: int, things: int) -> None:
    """`funders` funders with a balance, a budget and `per_funder` flattrs each."""
    rng = random.Random(7)
    urls = thing_urls(things)
    owners = [ObjectId() for _ in range(20)]
    await db.accounts.insert_many(
        [
            {"_id": o, "email": f"c{i}@x", "handle": f"c{i}", "ngo": i % 5 == 0}
            for i, o in enumerate(owners)
        ]
    )
    await _insert(
        db.key_owners,
        [
            {
                "_id": f"domain:site{i}.org",
                "key_sha256": "",
                "account_id": owners[i % 20],
                "claim_id": ObjectId(),
                "declined": i % 50 == 49,
            }
            for i in range(0, 997, 3)
        ],
    )
    batch_flattrs, batch_txns, batch_budgets = [], [], []
    for n in range(funders):
        fid = f"{n + 1:024x}"
        batch_txns.append(
            new_txn(
                f"fund:bench-{n}",
                "fund",
                [
                    {"account": "provider:sandbox", "cents": -5000},
                    {"account": acct.funder_account(fid), "cents": 5000},
                ],
                month=MONTH,
                at=AT,
                recorded_at=AT,
            )
        )
        batch_budgets.append(
            {
                "_id": fid,
                "monthly_cents": 200 + n % 7 * 50,
                "min_per_flattr_cents": 3 if n % 3 == 0 else None,
                "max_monthly_cents": 900 if n % 3 == 0 else None,
                "created_at": AT,
            }
        )
        picked = rng.sample(range(things), per_funder)
        batch_flattrs.extend(
            {
                "_id": flattr_id(MONTH, fid, thing_id_for(urls[t])),
                "funder": fid,
                "month": MONTH,
                "thing_id": thing_id_for(urls[t]),
                "url": urls[t],
                "normalized": urls[t],
                "weight": 1 + (n + k) % 5,
                "created_at": AT,
            }
            for k, t in enumerate(picked)
        )
        if len(batch_txns) >= CHUNK:
            await _insert(db.journal, batch_txns)
            await _insert(db.budgets, batch_budgets)
            await _insert(db.flattrs, batch_flattrs)
            batch_flattrs, batch_txns, batch_budgets = [], [], []
    if batch_txns:
        await _insert(db.journal, batch_txns)
        await _insert(db.budgets, batch_budgets)
        await _insert(db.flattrs, batch_flattrs)


async def load_funders_with_tokens(db: AsyncDatabase, count: int) -> list[str]:
    """Accounts with a budget and an extension token each; returns the tokens."""
    tokens, accounts, records = [], [], []
    for n in range(count):
        oid = ObjectId()
        token = "ofl_bench_" + hashlib.sha256(f"{n}".encode()).hexdigest()[:32]
        tokens.append(token)
        accounts.append(
            {
                "_id": oid,
                "email": f"f{n}@bench.org",
                "handle": f"f{n}",
                "display_name": f"F{n}",
                "created_at": AT,
            }
        )
        records.append(
            {
                "_id": ObjectId(),
                "account_id": oid,
                "hash": token_hash(token),
                "scope": "extension",
                "label": "bench",
                "created_at": AT,
                "revoked_at": None,
            }
        )
    await _insert(db.accounts, accounts)
    await _insert(db.tokens, records)
    return tokens
