"""Settlement on a real database over random months: every cent accounted for, re-runs idle."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from datetime import UTC, datetime

from bson import ObjectId
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry_service.clock import Clock
from registry_service.context import Context
from registry_service.ledger import accounts as acct
from registry_service.ledger import flattrs, journal, settlement
from registry_service.ledger.budget import Budget, month_spend
from registry_service.ledger.reconcile import reconcile
from registry_service.ledger.things import thing_id_for
from registry_service.store.database import open_client
from registry_service.store.schema import ensure_indexes
from tests.conftest import make_settings

SITES = [f"site{i}.org" for i in range(6)]
OWNER, NGO = ObjectId(), ObjectId()

funder_st = st.fixed_dictionaries(
    {
        "balance": st.integers(0, 3000),
        "monthly": st.integers(200, 1500),
        "minimum": st.none() | st.integers(0, 40),
        "cap_extra": st.none() | st.integers(0, 2000),
        "flattrs": st.lists(
            st.tuples(st.sampled_from(range(len(SITES))), st.integers(1, 5)),
            max_size=8,
            unique_by=lambda f: f[0],
        ),
    }
)


async def snapshot(db) -> list:
    docs = await db.journal.find({}, {"recorded_at": 0}).sort("_id", 1).to_list(None)
    return docs


async def scenario(uri: str, funders: list[dict], states: list[str], charity: bool) -> None:
    base = make_settings(mongodb_uri=uri, db_name="p_" + uuid.uuid4().hex[:10])
    config = dataclasses.replace(base, unspent_budget="charity" if charity else "keep")
    client = open_client(uri)
    ctx = Context(config, Clock(datetime(2026, 10, 20, tzinfo=UTC)), client, client[config.db_name])
    try:
        await ensure_indexes(ctx.db)
        await ctx.db.accounts.insert_many(
            [
                {"_id": OWNER, "email": "o@x", "handle": "o"},
                {"_id": NGO, "email": "n@x", "handle": "n", "ngo": True},
            ]
        )
        for site, state in zip(SITES, states, strict=True):
            if state != "unclaimed":
                await ctx.db.key_owners.insert_one(
                    {
                        "_id": f"domain:{site}",
                        "account_id": NGO if state == "ngo" else OWNER,
                        "claim_id": ObjectId(),
                        "declined": state == "declined",
                    }
                )
        ids = []
        for n, f in enumerate(funders):
            fid = str(ObjectId())
            ids.append(fid)
            if f["balance"]:
                await journal.record(
                    ctx.db,
                    journal.new_txn(
                        f"fund:test-{n}",
                        "fund",
                        [
                            {"account": "provider:sandbox", "cents": -f["balance"]},
                            {"account": acct.funder_account(fid), "cents": f["balance"]},
                        ],
                        month="2026-10",
                        at=ctx.clock.now(),
                        recorded_at=ctx.clock.now(),
                    ),
                )
            cap = None if f["cap_extra"] is None else f["monthly"] + f["cap_extra"]
            await ctx.db.budgets.insert_one(
                {
                    "_id": fid,
                    "monthly_cents": f["monthly"],
                    "min_per_flattr_cents": f["minimum"],
                    "max_monthly_cents": cap,
                    "created_at": datetime(2026, 9, 1, tzinfo=UTC),
                }
            )
            for site_no, weight in f["flattrs"]:
                url = f"https://{SITES[site_no]}/post"
                entry = flattrs.new_entry(ctx, fid, thing_id_for(url), url, url, weight)
                await flattrs.add_flattr(ctx, fid, entry)

        ctx.clock.fixed = datetime(2026, 11, 1, 1, tzinfo=UTC)
        first = await settlement.settle(ctx, "2026-10", batch_size=2)
        assert await reconcile(ctx) == []
        # The summary this run kept while recording equals the journal's own account.
        from_journal = await settlement.month_summary(ctx, "2026-10")
        assert {k: first[k] for k in from_journal} == from_journal
        # Movements recorded before they carried totals are summed from their postings.
        settled = [d["_id"] async for d in ctx.db.journal.find({"kind": "settle"}, {"_id": 1})]
        await ctx.db.journal.update_many({"_id": {"$in": settled[::2]}}, {"$unset": {"totals": ""}})
        assert await settlement.month_summary(ctx, "2026-10") == from_journal
        assert await reconcile(ctx) == []
        debits = [p async for p in _funder_postings(ctx.db)]
        assert from_journal["spent_cents"] == -sum(debits)
        assert from_journal["funders"] == await ctx.db.journal.count_documents({"kind": "settle"})
        held = await journal.balances(ctx.db, [acct.funder_account(i) for i in ids])
        for fid, f in zip(ids, funders, strict=True):
            payable = [w for s, w in f["flattrs"] if states[s] != "declined"]
            cap = None if f["cap_extra"] is None else f["monthly"] + f["cap_extra"]
            budget = Budget(f["monthly"], f["minimum"], cap)
            spend = month_spend(budget, sum(payable), f["balance"])
            if not payable and charity:
                spend = min(f["monthly"], f["balance"])
            assert held[acct.funder_account(fid)] == f["balance"] - spend
        # Everything that left the funders landed somewhere, to the cent.
        cursor = await ctx.db.journal.aggregate(
            [
                {"$match": {"kind": "settle"}},
                {"$unwind": "$postings"},
                {"$group": {"_id": None, "cents": {"$sum": "$postings.cents"}}},
            ]
        )
        totals = await cursor.to_list(None)
        assert not totals or totals[0]["cents"] == 0

        before = await snapshot(ctx.db)
        again = await settlement.settle(ctx, "2026-10", batch_size=3)  # a re-run changes nothing
        assert await snapshot(ctx.db) == before
        assert {k: again[k] for k in from_journal} == from_journal
    finally:
        await client.drop_database(config.db_name)
        await client.close()


async def _funder_postings(db):
    async for txn in db.journal.find({"kind": "settle"}):
        for posting in txn["postings"]:
            if posting["account"].startswith(acct.FUNDER):
                yield posting["cents"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    funders=st.lists(funder_st, min_size=1, max_size=5),
    states=st.lists(
        st.sampled_from(["unclaimed", "claimed", "ngo", "declined"]),
        min_size=len(SITES),
        max_size=len(SITES),
    ),
    charity=st.booleans(),
)
def test_random_months_settle_exactly_and_idempotently(mongo_uri, funders, states, charity):
    asyncio.run(scenario(mongo_uri, funders, states, charity))
