"""Background work in the service: settle months once over, expire old escrow."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from registry_service.context import Context
from registry_service.ledger import escrow, settlement, store
from registry_service.ledger.months import add_months, month_end

log = logging.getLogger("omniflattr.ledger.tasks")

GRACE = timedelta(minutes=5)  # let clicks in flight at midnight land first
LOOKBACK_MONTHS = 12


async def months_to_settle(context: Context) -> list[str]:
    """Past months (their grace period over) with flattrs or budgets left unsettled."""
    now = context.clock.now()
    current = context.clock.month()
    candidates = {add_months(current, -n) for n in range(1, LOOKBACK_MONTHS + 1)}
    async for doc in context.db[store.SETTLEMENTS].find({"phase": {"$ne": "done"}}, {"_id": 1}):
        candidates.add(doc["_id"])
    done = {
        d["_id"]
        async for d in context.db[store.SETTLEMENTS].find(
            {"_id": {"$in": list(candidates)}, "phase": "done"}, {"_id": 1}
        )
    }
    due = []
    for month in sorted(candidates - done):
        if month >= current or now < month_end(month) + GRACE:
            continue
        has_flattrs = await store.flattrs(context.db).find_one(
            {"_id": store.flattrs_range(month)}, {"_id": 1}
        )
        if has_flattrs or month == add_months(current, -1):
            due.append(month)
    return due


async def run_once(context: Context) -> None:
    for month in await months_to_settle(context):
        log.info("settling %s", month)
        summary = await settlement.settle(context, month)
        log.info("settled %s: %s", month, summary)
    keys, cents = await escrow.expire_escrow(context)
    if cents:
        log.info("returned %d cents of expired escrow from %d keys to their funders", cents, keys)


async def loop(context: Context) -> None:
    first, every = context.settings.ledger_first_delay_s, context.settings.ledger_interval_s
    await asyncio.sleep(first)
    while True:
        try:
            await run_once(context)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("ledger background work failed; retrying later")
        await asyncio.sleep(every)
