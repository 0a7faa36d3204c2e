"""A funder's or a creator's month as CSV (the csv module; no formula injection)."""

from __future__ import annotations

import csv
import io

from registry_service.context import Context
from registry_service.ledger import accounts as acct
from registry_service.ledger import flattrs, store

FUNDER_COLUMNS = ["date", "kind", "reference", "url", "key", "weight", "to", "amount_cents"]
CREATOR_COLUMNS = [
    "date",
    "kind",
    "reference",
    "key",
    "gross_cents",
    "commission_cents",
    "net_cents",
]


def _cell(value: object) -> object:
    # Spreadsheets run cells starting with these as formulas: quote them as text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv(columns: list[str], rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k, "")) for k in columns})
    return out.getvalue()


async def movements_in_month(context: Context, account: str, month: str) -> list[dict]:
    """Every journal movement of `month` touching `account`, oldest first."""
    cursor = store.journal(context.db).find({"postings.account": account, "month": month})
    return sorted([t async for t in cursor], key=lambda t: (t["at"], t["_id"]))


def _to(posting: dict) -> str:
    account = posting["account"]
    if account.startswith(acct.ESCROW):
        return "escrow"
    if account.startswith(acct.CREATOR):
        return "creator"
    return account.split(":", 1)[-1] if ":" in account else account


async def funder_statement(context: Context, funder_id: str, month: str) -> str:
    account = acct.funder_account(funder_id)
    rows: list[dict] = []
    for txn in await movements_in_month(context, account, month):
        date = txn["at"].date().isoformat()
        own = sum(p["cents"] for p in txn["postings"] if p["account"] == account)
        if txn["kind"] == "settle":
            entries = await flattrs.month_entries(context, funder_id, txn["month"])
            urls = {f["id"]: f["url"] for f in entries}
            for flattr in txn.get("flattrs", []):
                rows.append(
                    {
                        "date": date,
                        "kind": "flattr",
                        "reference": flattr["id"],
                        "url": urls.get(flattr["id"], ""),
                        "key": " ".join(flattr["keys"]),
                        "weight": flattr["weight"],
                        "to": "split",
                        "amount_cents": -flattr["cents"],
                    }
                )
            for posting in txn["postings"]:
                if posting["account"] == acct.CHARITY:
                    rows.append(
                        {
                            "date": date,
                            "kind": "unspent",
                            "reference": txn["_id"],
                            "to": "charity",
                            "amount_cents": -posting["cents"],
                        }
                    )
        elif txn["kind"] == "gift":
            for posting in txn["postings"][1:]:
                if posting["account"] != acct.COMMISSION:
                    rows.append(
                        {
                            "date": date,
                            "kind": "gift",
                            "reference": txn["_id"],
                            "url": txn.get("url", ""),
                            "key": posting.get("key", ""),
                            "to": _to(posting),
                            "amount_cents": -posting["cents"],
                        }
                    )
            rows += [
                {
                    "date": date,
                    "kind": "gift_commission",
                    "reference": txn["_id"],
                    "key": p.get("key", ""),
                    "to": "commission",
                    "amount_cents": -p["cents"],
                }
                for p in txn["postings"]
                if p["account"] == acct.COMMISSION
            ]
        else:
            rows.append(
                {
                    "date": date,
                    "kind": txn["kind"],
                    "reference": txn["_id"],
                    "key": txn.get("key", ""),
                    "to": "balance",
                    "amount_cents": own,
                }
            )
    total = sum(int(r["amount_cents"]) for r in rows)
    rows.append({"date": "", "kind": "total", "amount_cents": total})
    return _csv(FUNDER_COLUMNS, rows)


async def creator_statement(context: Context, creator_id: str, month: str) -> str:
    account = acct.creator_account(creator_id)
    rows: list[dict] = []
    for txn in await movements_in_month(context, account, month):
        date = txn["at"].date().isoformat()
        by_key: dict[str, dict] = {}
        for posting in txn["postings"]:
            key = posting.get("key", "")
            if posting["account"] == account or (
                posting["account"] == acct.COMMISSION and key in by_key
            ):
                row = by_key.setdefault(key, {"net": 0, "commission": 0})
                row["commission" if posting["account"] == acct.COMMISSION else "net"] += posting[
                    "cents"
                ]
        for key, row in sorted(by_key.items()):
            rows.append(
                {
                    "date": date,
                    "kind": txn["kind"],
                    "reference": txn["_id"],
                    "key": key,
                    "gross_cents": row["net"] + row["commission"],
                    "commission_cents": row["commission"],
                    "net_cents": row["net"],
                }
            )
    rows.append(
        {
            "kind": "total",
            "gross_cents": sum(r["gross_cents"] for r in rows),
            "commission_cents": sum(r["commission_cents"] for r in rows),
            "net_cents": sum(r["net_cents"] for r in rows),
        }
    )
    return _csv(CREATOR_COLUMNS, rows)
