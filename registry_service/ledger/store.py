"""The ledger's collections and indexes (the only module that names them)."""

from __future__ import annotations

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

JOURNAL = "journal"  # one document per movement, _id = its idempotency key
FLATTRS = "flattrs"  # one document per flattr, _id = "<yyyymm><funder><thing>"
MONTH_FENCES = "month_fences"  # changes to a funder's month in its last minutes (fences.py)
FUNDER_MONTHS = "funder_months"  # the former layout (a month's flattrs in one document)
THINGS = "things"  # normalised URLs people flattr, _id = a hash of the URL
BUDGETS = "budgets"  # _id = funder id
SETTLEMENTS = "settlements"  # _id = month: phase and progress of its settlement
SUBSCRIPTIONS = "subscriptions"
FUNDING_INTENTS = "funding_intents"  # top-ups waiting for a provider's webhook
PAYOUTS = "payouts"
PAGE_SIGNALS = "page_signals"  # written by the crawlers; read here for also_accepts

INDEXES: list[tuple[str, IndexModel]] = [
    (JOURNAL, IndexModel([("slot", ASCENDING)], unique=True, name="slot_unique")),
    (
        JOURNAL,
        IndexModel([("guard.account", ASCENDING), ("guard.seq", DESCENDING)], name="by_guard"),
    ),
    (
        JOURNAL,
        IndexModel([("postings.account", ASCENDING), ("month", ASCENDING)], name="by_account"),
    ),
    (JOURNAL, IndexModel([("lot_expires_at", ASCENDING)], name="lots_by_expiry", sparse=True)),
    (JOURNAL, IndexModel([("kind", ASCENDING), ("month", ASCENDING)], name="by_kind")),
    # flattrs and month_fences have no secondary index on purpose: their _ids begin with
    # the month and the funder, so a funder's month and a whole month are _id ranges, and
    # a click costs one insert into one index.
    (THINGS, IndexModel([("normalized", ASCENDING)], unique=True, name="normalized_unique")),
    (BUDGETS, IndexModel([("created_at", ASCENDING)], name="by_created")),
    (SUBSCRIPTIONS, IndexModel([("funder", ASCENDING)], name="by_funder")),
    (
        SUBSCRIPTIONS,
        IndexModel([("start_month", ASCENDING), ("end_month", ASCENDING)], name="by_months"),
    ),
    (PAYOUTS, IndexModel([("account_id", ASCENDING), ("created_at", DESCENDING)], name="by_acct")),
    (FUNDING_INTENTS, IndexModel([("funder", ASCENDING)], name="by_funder")),
]


def journal(db: AsyncDatabase) -> AsyncCollection:
    return db[JOURNAL]


def flattrs(db: AsyncDatabase) -> AsyncCollection:
    return db[FLATTRS]


def month_fences(db: AsyncDatabase) -> AsyncCollection:
    return db[MONTH_FENCES]


def flattr_id(month: str, funder_id: str, thing_id: str) -> str:
    """`<yyyymm><funder id><thing id>`: one flattr per funder, thing and month."""
    return f"{month.replace('-', '')}{funder_id}{thing_id}"


def flattrs_range(month: str, funder_id: str = "") -> dict:
    """An `_id` range over the flattrs of `month` (of one funder when given)."""
    prefix = month.replace("-", "") + funder_id
    return {"$gte": prefix, "$lt": prefix + "~"}


def fence_id(month: str, funder_id: str) -> str:
    return f"{month}:{funder_id}"


def fences_range(month: str) -> dict:
    """An `_id` range over every month fence of `month`."""
    return {"$gte": f"{month}:", "$lt": f"{month};"}
