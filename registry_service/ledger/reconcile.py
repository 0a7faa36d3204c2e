"""`omniflattr reconcile`: prove money.md's invariants on the current database.

Every movement balances in integer cents; no platform-side balance is negative; each
escrow account holds exactly its open lots, and every lot left escrow at most once and
for its exact amount; every flattr of a settled month was paid by exactly one settlement
movement, whose postings match its flattrs; debit chains have no gaps.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from registry_service.context import Context
from registry_service.ledger import accounts as acct
from registry_service.ledger import fences, flattrs, store
from registry_service.ledger.plan import lot_id as name_lot
from registry_service.ledger.plan import posting_totals


async def reconcile(context: Context, report: Callable[[str], None] | None = None) -> list[str]:
    """Every problem found (empty when the books are right)."""
    problems: list[str] = []

    def problem(text: str) -> None:
        problems.append(text)
        if report:
            report(text)

    balances: dict[str, int] = defaultdict(int)
    lots: dict[str, dict] = {}
    consumed: dict[str, str] = {}
    chains: dict[str, list[int]] = defaultdict(list)
    settled_flattrs: dict[str, str] = {}
    settle_txns: dict[str, dict] = {}
    async for txn in store.journal(context.db).find({}):
        tid = txn["_id"]
        total = 0
        for posting in txn.get("postings", []):
            cents = posting.get("cents")
            if type(cents) is not int:
                problem(
                    f"{tid}: posting to {posting.get('account')} is not integer cents: {cents!r}"
                )
                continue
            total += cents
            balances[posting["account"]] += cents
            if posting.get("lot"):
                lots[name_lot(tid, posting["key"])] = {
                    "cents": cents,
                    "account": posting["account"],
                }
        if total != 0:
            problem(f"{tid}: postings add up to {total}, not 0")
        if "guard" in txn:
            chains[txn["guard"]["account"]].append(int(txn["guard"]["seq"]))
        for lot_id in txn.get("consumes", []):
            if lot_id in consumed:
                problem(f"lot {lot_id} left escrow twice: {consumed[lot_id]} and {tid}")
            consumed[lot_id] = tid
        if txn.get("kind") == "settle":
            settle_txns[tid] = txn
            _check_settle(txn, problem)
            for flattr in txn.get("flattrs", []):
                if flattr["id"] in settled_flattrs:
                    problem(
                        f"flattr {flattr['id']} paid twice: {settled_flattrs[flattr['id']]}, {tid}"
                    )
                settled_flattrs[flattr["id"]] = tid
    for account, cents in sorted(balances.items()):
        if cents < 0 and not acct.is_external(account):
            problem(f"{account} is negative: {cents} cents")
    await _check_escrow(context, balances, lots, consumed, problem)
    for account, seqs in sorted(chains.items()):
        if sorted(seqs) != list(range(1, len(seqs) + 1)):
            problem(f"{account}: debit chain has gaps or repeats: {sorted(seqs)[:20]}")
    await _check_months(context, settle_txns, problem)
    return problems


def _check_settle(txn: dict, problem: Callable[[str], None]) -> None:
    paid = sum(f["cents"] for f in txn.get("flattrs", []))
    spent = -sum(p["cents"] for p in txn["postings"] if p["account"].startswith(acct.FUNDER))
    charity = sum(p["cents"] for p in txn["postings"] if p["account"] == acct.CHARITY)
    if paid + charity != spent:
        problem(f"{txn['_id']}: flattrs got {paid} cents (+{charity} charity) of {spent} spent")
    if spent != txn.get("spend", spent):
        problem(f"{txn['_id']}: spend {txn.get('spend')} differs from the debit {spent}")
    # (movements recorded before they carried totals have none to check)
    if "totals" in txn and txn["totals"] != posting_totals(txn["postings"]):
        problem(f"{txn['_id']}: totals {txn.get('totals')} differ from its postings")


async def _check_escrow(context, balances, lots, consumed, problem) -> None:
    open_by_account: dict[str, int] = defaultdict(int)
    for lot_id, lot in lots.items():
        if lot_id not in consumed:
            open_by_account[lot["account"]] += lot["cents"]
    for lot_id, tid in consumed.items():
        if lot_id not in lots:
            problem(f"{tid} consumes lot {lot_id}, which does not exist")
    async for txn in store.journal(context.db).find({"consumes.0": {"$exists": True}}):
        escrow_account = txn["guard"]["account"]
        taken = -sum(p["cents"] for p in txn["postings"] if p["account"] == escrow_account)
        expected = sum(lots[i]["cents"] for i in txn["consumes"] if i in lots)
        if taken != expected:
            problem(f"{txn['_id']}: takes {taken} cents out of escrow for lots worth {expected}")
    for account in sorted(a for a in balances if a.startswith(acct.ESCROW)):
        if balances[account] != open_by_account.get(account, 0):
            problem(
                f"{account}: balance {balances[account]} but open lots add up to "
                f"{open_by_account.get(account, 0)}"
            )


async def _check_months(context, settle_txns: dict, problem) -> None:
    async for settlement in context.db[store.SETTLEMENTS].find({"phase": "done"}):
        month = settlement["_id"]
        async for fence in store.month_fences(context.db).find(
            {"_id": store.fences_range(month), "closed": {"$ne": True}}
        ):
            problem(f"{fence['_id']}: month {month} is settled but this fence is still open")
        fenced = await fences.closed_fences(context, month)
        async for funder, entries in flattrs.by_funder(context, month, fenced):
            tid = f"settle:{funder}:{month}"
            txn = settle_txns.get(tid)
            if txn is None:
                if entries:
                    problem(f"{month}:{funder}: month {month} is settled but this funder was not")
                continue
            want = {f["id"] for f in entries}
            got = {f["id"] for f in txn.get("flattrs", [])}
            # Flattrs whose keys all declined are not paid but are still listed with 0.
            if want != got:
                problem(f"{tid}: pays flattrs {sorted(got ^ want)[:5]} differently from the month")
