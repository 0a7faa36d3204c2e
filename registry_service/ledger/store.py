"""The ledger's collections and indexes (the only module that names them)."""

from __future__ import annotations

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

JOURNAL = "journal"  # one document per movement, _id = its idempotency key
FUNDER_MONTHS = "funder_months"  # a funder's flattrs of one month, _id = "<month>:<funder>"
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
    # funder_months has no secondary index on purpose: its _id ("<month>:<funder>") and
    # the flattr ids (which name their month document) find everything, and freezing a
    # month rewrites every document of it, which each index would make slower.
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


def funder_months(db: AsyncDatabase) -> AsyncCollection:
    return db[FUNDER_MONTHS]


def funder_month_id(month: str, funder_id: str) -> str:
    return f"{month}:{funder_id}"


def month_prefix_range(month: str) -> dict:
    """An `_id` range matching every funder-month document of `month` (uses the _id index)."""
    return {"$gte": f"{month}:", "$lt": f"{month};"}
