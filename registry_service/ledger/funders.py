"""A funder's budget and balance, with a brief in-process cache for projections."""

from __future__ import annotations

from dataclasses import dataclass

from registry_service.api.errors import Unprocessable
from registry_service.context import Context
from registry_service.ledger import accounts as acct
from registry_service.ledger import journal, store
from registry_service.ledger.budget import Budget, budget_problem
from registry_service.ledger.cache import TtlCache

SERVICE = "ledger.funders"
SNAPSHOT_TTL_S = 120.0


@dataclass(frozen=True)
class Snapshot:
    budget: Budget
    budget_set: bool
    balance_cents: int


def _cache(context: Context) -> TtlCache:
    cache = context.services.get(SERVICE)
    if cache is None:
        cache = context.services[SERVICE] = TtlCache(SNAPSHOT_TTL_S, 100_000)
    return cache


def forget(context: Context, funder_id: str) -> None:
    """Drop the cached snapshot after this process moved the funder's money or budget."""
    _cache(context).drop(str(funder_id))


async def get_budget(context: Context, funder_id: str) -> tuple[Budget, bool]:
    """The funder's budget, and whether they set it (the minimum applies otherwise)."""
    doc = await context.db[store.BUDGETS].find_one({"_id": str(funder_id)})
    return Budget.from_doc(doc, context.settings.min_budget_cents), doc is not None


async def set_budget(context: Context, funder_id: str, budget: Budget) -> Budget:
    problem = budget_problem(budget, context.settings.min_budget_cents)
    if problem:
        raise Unprocessable("invalid_budget", problem)
    now = context.clock.now()
    await context.db[store.BUDGETS].update_one(
        {"_id": str(funder_id)},
        {"$set": {**budget.to_json(), "updated_at": now}, "$setOnInsert": {"created_at": now}},
        upsert=True,
    )
    forget(context, funder_id)
    return budget


async def snapshot(context: Context, funder_id: str, *, fresh: bool = False) -> Snapshot:
    """Budget and balance; a few seconds stale at most unless `fresh`."""
    key = str(funder_id)
    cache = _cache(context)
    cached = None if fresh else cache.get(key)
    if cached is None:
        budget, is_set = await get_budget(context, key)
        balance = await journal.balance(context.db, acct.funder_account(key))
        cached = Snapshot(budget, is_set, balance)
        cache.put(key, cached)
    return cached
