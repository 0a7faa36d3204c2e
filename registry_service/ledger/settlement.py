"""Monthly settlement: resumable, idempotent, safe to run twice at once.

Phases of a month (recorded in `settlements`, each idempotent):
1. materialize: add the month's subscription flattrs;
2. freeze: close every fence of the month (`fences.py`), so flattrs can no longer change;
3. settle: funder by funder, one journal movement `settle:{funder}:{month}` holding all
   the funder's postings, taking the next slot of the funder's debit chain — so a funder
   is paid at most once, whoever runs and however often; killed runs simply go on;
4. sweep: refund expired escrow, release escrow of keys claimed meanwhile.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from pymongo.errors import BulkWriteError

from registry_service.api.errors import Unprocessable
from registry_service.context import Context
from registry_service.ledger import accounts as acct
from registry_service.ledger import escrow, fences, flattrs, journal, store, subscriptions
from registry_service.ledger.budget import Budget
from registry_service.ledger.keystate import KeyBook
from registry_service.ledger.months import add_months_to_time, is_month, month_end
from registry_service.ledger.plan import (
    TOTALS,
    FlattrItem,
    LotInfo,
    lot_fields,
    plan_month,
    posting_totals,
)
from registry_service.ledger.testhooks import note_write

log = logging.getLogger("omniflattr.ledger.settlement")

PHASES = ("started", "materialized", "frozen", "settled", "done")
DEFAULT_BATCH = 500
Progress = Callable[[int, int], None]


def settle_id(funder_id: str, month: str) -> str:
    return f"settle:{funder_id}:{month}"


def check_past_month(context: Context, month: str) -> None:
    if not is_month(month):
        raise Unprocessable("invalid_month", f"{month!r} is not a month like 2026-10.")
    current = context.clock.month()
    if month >= current:
        raise Unprocessable(
            "month_not_over",
            f"{month} is not over yet (it is {current} now): only past months can be settled.",
        )


class MonthSettlement:
    def __init__(
        self,
        context: Context,
        month: str,
        *,
        batch_size: int = DEFAULT_BATCH,
        progress: Progress | None = None,
    ) -> None:
        self.context = context
        self.db = context.db
        self.month = month
        self.batch_size = max(1, batch_size)
        self.counted = progress is not None  # a total only for someone watching
        self.progress = progress or (lambda done, total: None)
        self.keys = KeyBook(context)
        self.since = month_end(month)
        self.lot = LotInfo(
            self.since, add_months_to_time(self.since, context.settings.escrow_months)
        )
        self.done = 0
        self.total = 0
        self.seen: set[str] = set()  # funders settled from their flattrs by this run
        # What this run recorded itself; the summary comes from it when this run recorded
        # every movement of the month (the usual case), else from the journal.
        self.recorded = dict.fromkeys(("funders", "spent", *TOTALS), 0)
        self.recorded_all = False

    async def phase(self) -> int:
        doc = await self.db[store.SETTLEMENTS].find_one({"_id": self.month}, {"rank": 1})
        return int(doc["rank"]) if doc else -1

    async def advance(self, name: str, **fields) -> None:
        rank = PHASES.index(name)
        result = await self.db[store.SETTLEMENTS].update_one(
            {"_id": self.month, "rank": {"$lt": rank}},
            {"$set": {"phase": name, "rank": rank, **fields}},
        )
        note_write(result.modified_count > 0)

    async def run(self) -> dict:
        check_past_month(self.context, self.month)
        now = self.context.clock.now()
        started = await self.db[store.SETTLEMENTS].update_one(
            {"_id": self.month},
            {"$setOnInsert": {"phase": "started", "rank": 0, "started_at": now}},
            upsert=True,
        )
        note_write(started.upserted_id is not None)
        if await self.phase() < PHASES.index("materialized"):
            added = await subscriptions.materialize_month(self.context, self.month)
            log.info("%s: %d subscription flattrs added", self.month, added)
            await self.advance("materialized")
        if await self.phase() < PHASES.index("frozen"):
            note_write(await fences.close_month(self.context, self.month) > 0)
            await self.advance("frozen")
        if await self.phase() < PHASES.index("settled"):
            self.recorded_all = await self.phase() == PHASES.index("frozen")
            await self.settle_funders()
            await self.advance("settled")
        expired = await escrow.expire_escrow(self.context)
        released, refunded = await escrow.settle_owned_escrow(self.context)
        if self.recorded_all:
            summary = summary_of(self.month, self.recorded)
        else:
            summary = await month_summary(self.context, self.month)
        summary["escrow_sweep"] = {
            "expired_keys": expired[0],
            "expired_cents": expired[1],
            "released_cents": released,
            "refunded_cents": refunded,
        }
        await self.advance("done", finished_at=self.context.clock.now(), summary=summary)
        await self.db[store.SETTLEMENTS].update_one(
            {"_id": self.month}, {"$set": {"summary": summary}}
        )
        return summary

    async def settle_funders(self) -> None:
        # Fences made since the freeze are closed now or withdrawn by their writers.
        note_write(await fences.close_month(self.context, self.month) > 0)
        fenced = await fences.closed_fences(self.context, self.month)
        idle = self.context.settings.unspent_budget == "charity"
        if self.counted:
            flattring = await store.flattrs(self.db).distinct(
                "funder", {"_id": store.flattrs_range(self.month)}
            )
            self.total = len(set(flattring) | set(fenced))
        if idle and self.counted:
            self.total += await self.db[store.BUDGETS].count_documents(
                {"created_at": {"$lt": self.since}}
            )
        self.progress(0, self.total)
        batch: list[dict] = []
        async for funder, entries in flattrs.by_funder(self.context, self.month, fenced):
            self.seen.add(funder)
            batch.append({"funder": funder, "flattrs": entries})
            if len(batch) >= self.batch_size:
                await self.settle_batch(batch)
                batch = []
        if batch:
            await self.settle_batch(batch)
        if idle:
            await self.settle_idle_funders()

    async def settle_idle_funders(self) -> None:
        """With unspent budgets going to charity: funders who flattred nothing this month."""
        cursor = (
            self.db[store.BUDGETS]
            .find({"created_at": {"$lt": self.since}}, {"_id": 1})
            .sort("_id", 1)
        )
        batch: list[dict] = []
        async for doc in cursor:
            batch.append(doc)
            if len(batch) >= self.batch_size:
                await self.settle_idle_batch(batch)
                batch = []
        if batch:
            await self.settle_idle_batch(batch)

    async def settle_idle_batch(self, budget_docs: list[dict]) -> None:
        funders = [d["_id"] for d in budget_docs]
        docs = [{"funder": f, "flattrs": []} for f in funders if f not in self.seen]
        await self.settle_batch(docs, count_as=len(budget_docs))

    async def settle_batch(self, docs: list[dict], count_as: int | None = None) -> None:
        ids = [settle_id(d["funder"], self.month) for d in docs]
        existing = {
            t["_id"] async for t in store.journal(self.db).find({"_id": {"$in": ids}}, {"_id": 1})
        }
        todo = [d for d in docs if settle_id(d["funder"], self.month) not in existing]
        if existing:
            self.recorded_all = False
        if todo:
            todo.sort(key=lambda d: d["funder"])
            first = acct.funder_account(todo[0]["funder"])
            last = acct.funder_account(todo[-1]["funder"])
            # The chains' ends first, then balances that include every debit up to them.
            seqs = await journal.latest_seqs_in_range(self.db, first, last)
            held = await journal.balances_in_range(self.db, first, last)
            budgets = await self.budgets(todo[0]["funder"], todo[-1]["funder"])
            await self.keys.resolve(f["normalized"] for d in todo for f in d.get("flattrs", []))
            txns = []
            for doc in todo:
                account = acct.funder_account(doc["funder"])
                budget = budgets.get(doc["funder"], self.default_budget)
                txn = self.build(doc, budget, held.get(account, 0))
                txns.append(journal.set_guard(txn, account, seqs.get(account, 0) + 1))
            await self.record(txns, {t["_id"]: d for t, d in zip(txns, todo, strict=True)}, budgets)
        self.done += len(docs) if count_as is None else count_as
        self.progress(self.done, self.total)

    @property
    def default_budget(self) -> Budget:
        return Budget(self.context.settings.min_budget_cents)

    async def budgets(self, first: str, last: str) -> dict[str, Budget]:
        """Budgets of the funders from `first` to `last` (a range scan, in id order)."""
        default = self.context.settings.min_budget_cents
        cursor = (
            self.db[store.BUDGETS].find({"_id": {"$gte": first, "$lte": last}}).hint(flattrs.BY_ID)
        )
        return {d["_id"]: Budget.from_doc(d, default) async for d in cursor}

    def build(self, doc: dict, budget: Budget, balance_cents: int) -> dict:
        funder = doc["funder"]
        txn_id = settle_id(funder, self.month)
        items = [
            FlattrItem(f["id"], f["thing_id"], int(f["weight"]), self.keys.keys_of[f["normalized"]])
            for f in doc.get("flattrs", [])
        ]
        plan = plan_month(
            txn_id=txn_id,
            funder_id=funder,
            month=self.month,
            budget=budget,
            balance_cents=balance_cents,
            flattrs=items,
            states=self.keys.states,
            commission_bp=self.context.settings.commission_bp,
            lot=self.lot,
            unspent_to_charity=self.context.settings.unspent_budget == "charity",
        )
        return journal.new_txn(
            txn_id,
            "settle",
            plan.postings,
            month=self.month,
            at=self.since,
            recorded_at=self.context.clock.now(),
            funder=funder,
            spend=plan.spend,
            budget=budget.to_json(),
            flattrs=plan.flattrs,
            totals=posting_totals(plan.postings),
            **lot_fields(plan.postings, self.lot),
        )

    async def record(self, txns: list[dict], docs: dict[str, dict], budgets: dict) -> None:
        try:
            await store.journal(self.db).insert_many(txns, ordered=False)
            note_write()
            for txn in txns:
                self.recorded["funders"] += 1
                self.recorded["spent"] += txn["spend"]
                for name in TOTALS:
                    self.recorded[name] += txn["totals"][name]
            return
        except BulkWriteError as exc:
            errors = exc.details.get("writeErrors", [])
            note_write(exc.details.get("nInserted", 0) > 0)
            if any(e.get("code") != 11000 for e in errors):
                raise
        self.recorded_all = False
        # Some were recorded already (another run) or lost their slot to a concurrent debit
        # of the same funder (a gift, another run): redo those one by one, re-reading.
        for err in errors:
            txn = txns[err["index"]]
            if await store.journal(self.db).find_one({"_id": txn["_id"]}, {"_id": 1}):
                continue
            doc = docs[txn["_id"]]
            budget = budgets.get(doc["funder"], self.default_budget)

            async def build(balance: int, doc=doc, budget=budget) -> dict:
                return self.build(doc, budget, balance)

            await journal.guarded_debit(self.db, acct.funder_account(doc["funder"]), build)


async def settle(
    context: Context,
    month: str,
    *,
    batch_size: int = DEFAULT_BATCH,
    progress: Progress | None = None,
) -> dict:
    """Settle `month` (a past month). Safe to re-run and to run twice at once."""
    return await MonthSettlement(context, month, batch_size=batch_size, progress=progress).run()


async def month_summary(context: Context, month: str) -> dict:
    """What the month's settlement moved, from the journal (one pass, no unwinding)."""
    cursor = await store.journal(context.db).aggregate(
        [
            {"$match": {"kind": "settle", "month": month}},
            {
                "$group": {
                    "_id": None,
                    "funders": {"$sum": 1},
                    "spent": {"$sum": "$spend"},
                    **{f: {"$sum": f"$totals.{f}"} for f in TOTALS},
                }
            },
        ]
    )
    row = next(iter(await cursor.to_list(None)), None) or {}
    # Movements recorded before they carried their totals: summed from their postings.
    legacy = store.journal(context.db).find(
        {"kind": "settle", "month": month, "totals": {"$exists": False}}, {"postings": 1}
    )
    async for txn in legacy:
        for name, cents in posting_totals(txn["postings"]).items():
            row[name] = row.get(name, 0) + cents
    return summary_of(month, row)


def summary_of(month: str, sums: dict) -> dict:
    return {
        "month": month,
        "funders": int(sums.get("funders", 0)),
        "spent_cents": int(sums.get("spent", 0)),
        "to_creators_cents": int(sums.get("creators", 0)),
        "to_escrow_cents": int(sums.get("escrow", 0)),
        "commission_cents": int(sums.get("commission", 0)),
        "charity_cents": int(sums.get("charity", 0)),
    }


async def status(context: Context, month: str) -> dict | None:
    doc = await context.db[store.SETTLEMENTS].find_one({"_id": month})
    if doc is None:
        return None
    settled = await store.journal(context.db).count_documents({"kind": "settle", "month": month})
    total = len(
        await store.flattrs(context.db).distinct("funder", {"_id": store.flattrs_range(month)})
    )
    return {
        "month": month,
        "phase": doc.get("phase"),
        "started_at": doc["started_at"].isoformat() if doc.get("started_at") else None,
        "finished_at": doc["finished_at"].isoformat() if doc.get("finished_at") else None,
        "funders_settled": settled,
        "funder_months": total,
        "summary": doc.get("summary"),
    }
