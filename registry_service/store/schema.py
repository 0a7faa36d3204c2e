"""Every domain's indexes, created idempotently when a process starts."""

from __future__ import annotations

import logging

from pymongo import IndexModel
from pymongo.asynchronous.database import AsyncDatabase

from crawlers.store import INDEXES as CRAWLER_INDEXES
from registry_service.accounts.store import INDEXES as ACCOUNT_INDEXES
from registry_service.claims.store import INDEXES as CLAIM_INDEXES
from registry_service.ledger.migrate import move_funder_months
from registry_service.ledger.store import INDEXES as LEDGER_INDEXES
from registry_service.resolve.store import INDEXES as RESOLVE_INDEXES
from registry_service.web.store import INDEXES as WEB_INDEXES

log = logging.getLogger("omniflattr.schema")

ALL_INDEXES: list[tuple[str, IndexModel]] = [
    *ACCOUNT_INDEXES,
    *RESOLVE_INDEXES,
    *LEDGER_INDEXES,
    *CLAIM_INDEXES,
    *CRAWLER_INDEXES,
    *WEB_INDEXES,
]


async def ensure_indexes(db: AsyncDatabase) -> None:
    by_collection: dict[str, list[IndexModel]] = {}
    for collection, index in ALL_INDEXES:
        by_collection.setdefault(collection, []).append(index)
    for collection, indexes in by_collection.items():
        await db[collection].create_indexes(indexes)
    log.info("indexes ready on %d collections", len(by_collection))
    await move_funder_months(db)
