"""A month's worth of ledger data, the same in every database it is written to."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pymongo
from bson import ObjectId

from registry_service.ledger import accounts as acct
from registry_service.ledger.journal import new_txn
from registry_service.ledger.store import flattr_id
from registry_service.ledger.things import thing_id_for
from registry_service.store.schema import ALL_INDEXES

MONTH = "2026-10"
NOW = "2026-11-01T01:00:00Z"
FUNDERS = [ObjectId(f"{i + 1:024x}") for i in range(20)]
CREATOR, NGO, DECLINER = (ObjectId(f"{0xC0 + i:024x}") for i in range(3))
SITES = [f"site{i}.org" for i in range(7)]
STATES = {0: CREATOR, 1: NGO, 2: DECLINER}  # sites 3.. are unclaimed
OCT = datetime(2026, 10, 12, tzinfo=UTC)


def write(uri: str, db_name: str) -> None:
    client = pymongo.MongoClient(uri, tz_aware=True)
    db = client[db_name]
    for collection, index in ALL_INDEXES:
        db[collection].create_indexes([index])
    db.accounts.insert_many(
        [
            {"_id": CREATOR, "email": "c@example.org", "handle": "creator"},
            {"_id": NGO, "email": "n@example.org", "handle": "ngo", "ngo": True},
            {"_id": DECLINER, "email": "d@example.org", "handle": "decliner"},
        ]
    )
    for site_no, owner in STATES.items():
        key = f"domain:{SITES[site_no]}"
        db.key_owners.insert_one(
            {
                "_id": key,
                "key_sha256": hashlib.sha256(key.encode()).hexdigest(),
                "account_id": owner,
                "claim_id": ObjectId(f"{0xA0 + site_no:024x}"),
                "declined": owner == DECLINER,
            }
        )
    txns, flattr_docs, budgets = [], [], []
    for n, funder in enumerate(FUNDERS):
        fid = str(funder)
        balance = [0, 150, 5000, 999, 20_000][n % 5]
        if balance:
            txns.append(
                new_txn(
                    f"fund:seed-{n}",
                    "fund",
                    [
                        {"account": "provider:sandbox", "cents": -balance},
                        {"account": acct.funder_account(fid), "cents": balance},
                    ],
                    month=MONTH,
                    at=OCT,
                    recorded_at=OCT,
                    funder=fid,
                )
            )
        if n % 4:
            budgets.append(
                {
                    "_id": fid,
                    "monthly_cents": 200 + 37 * n,
                    "min_per_flattr_cents": (n % 3) * 7 or None,
                    "max_monthly_cents": 200 + 37 * n + 500 if n % 2 else None,
                    "created_at": datetime(2026, 9, 1, tzinfo=UTC),
                }
            )
        entries = []
        for k in range(n % 6 + (n % 2)):
            url = f"https://{SITES[(n + 2 * k) % len(SITES)]}/p{k}"
            if any(e["normalized"] == url for e in entries):
                continue
            entries.append(
                {
                    "_id": flattr_id(MONTH, fid, thing_id_for(url)),
                    "funder": fid,
                    "month": MONTH,
                    "thing_id": thing_id_for(url),
                    "url": url,
                    "normalized": url,
                    "weight": 1 + (n + k) % 5,
                    "created_at": OCT,
                }
            )
        flattr_docs.extend(entries)
    # An old gift to an unclaimed key (expired by now) and one to a key claimed since.
    april = datetime(2026, 4, 10, tzinfo=UTC)
    for key, gift in (("domain:site5.org", "old"), ("domain:site0.org", "early")):
        fid = str(FUNDERS[4])
        expires = datetime(2026, 10, 10, tzinfo=UTC) if gift == "old" else None
        expires = expires or datetime(2027, 4, 10, tzinfo=UTC)
        txns.append(
            new_txn(
                f"gift:{gift}",
                "gift",
                [
                    {"account": acct.funder_account(fid), "cents": -333},
                    {"account": acct.escrow_account(key), "cents": 333, "key": key, "lot": True},
                ],
                month="2026-04",
                at=april,
                recorded_at=april,
                funder=fid,
                lot_since=april,
                lot_expires_at=expires,
            )
        )
    db.journal.insert_many(txns)
    db.flattrs.insert_many(flattr_docs)
    db.budgets.insert_many(budgets)
    db.subscriptions.insert_one(
        {
            "_id": ObjectId(f"{0x5B:024x}"),
            "funder": str(FUNDERS[2]),
            "thing_id": thing_id_for("https://site6.org/feed"),
            "url": "https://site6.org/feed",
            "normalized": "https://site6.org/feed",
            "weight": 3,
            "months": 3,
            "start_month": "2026-09",
            "end_month": "2026-11",
            "cancelled_month": None,
            "created_at": datetime(2026, 9, 3, tzinfo=UTC),
        }
    )
    client.close()


def snapshot(uri: str, db_name: str) -> dict:
    """What a settlement leaves behind, without the wall-clock times it was recorded at."""
    client = pymongo.MongoClient(uri, tz_aware=True)
    db = client[db_name]
    result = {
        "journal": list(db.journal.find({}, {"recorded_at": 0}).sort("_id", 1)),
        "flattrs": list(db.flattrs.find({}).sort("_id", 1)),
        "fences": list(db.month_fences.find({}).sort("_id", 1)),
        "phase": (db.settlements.find_one({"_id": MONTH}) or {}).get("phase"),
    }
    client.close()
    return result
