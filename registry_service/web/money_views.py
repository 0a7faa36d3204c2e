"""What the journal says, shaped for people: pure functions over journal movements.

A funder's month: where the money went, key by key (to a creator, waiting in escrow,
to charity). A funder's months: flattrs, gifts, money back and top-ups. A creator's
months: gross income, commission and net. Every figure is a sum of integer postings,
so the totals shown always equal the ledger's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from registry_service.ledger import accounts as acct
from registry_service.ledger.plan import lot_id

SPENDING_KINDS = ("settle", "gift")
INCOME_KINDS = ("settle", "gift", "release")
REFUND_KINDS = ("refund", "expire")
# Movements that take a lot out of escrow, by where the money went.
EXIT_DESTINATIONS = {"release": "released", "refund": "returned", "expire": "returned"}


@dataclass(frozen=True)
class Destination:
    key: str
    to: str  # creator | escrow (still waiting) | released | returned | charity
    cents: int


@dataclass(frozen=True)
class FunderMonth:
    month: str
    flattrs_cents: int  # the month's settlement
    gifts_cents: int
    returned_cents: int  # escrow that came back (expired or declined keys)
    topped_up_cents: int

    @property
    def given_cents(self) -> int:
        return self.flattrs_cents + self.gifts_cents


@dataclass(frozen=True)
class IncomeMonth:
    month: str
    gross_cents: int
    commission_cents: int
    net_cents: int
    paid_out_cents: int


def _own(txn: dict, account: str) -> int:
    return sum(p["cents"] for p in txn["postings"] if p["account"] == account)


def where_money_went(
    txns: Iterable[dict], funder_id: str, lot_exits: Mapping[str, str] | None = None
) -> list[Destination]:
    """The funder's settlements and gifts among `txns`, grouped by key and destination.

    Commission counts with the creator it was taken from: it is part of what the funder
    gave to that key. Money put in escrow shows where it is now: still waiting, or (per
    `lot_exits`, lot id -> the kind of movement that took it out) released to the key's
    creator or returned. Largest first, then by key.
    """
    exits = lot_exits or {}
    account = acct.funder_account(funder_id)
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for txn in txns:
        if txn.get("kind") not in SPENDING_KINDS or _own(txn, account) >= 0:
            continue
        for posting in txn["postings"]:
            name = posting["account"]
            if name == account:
                continue
            if name.startswith(acct.ESCROW):
                kind = exits.get(lot_id(txn.get("_id", ""), posting.get("key", "")))
                to = EXIT_DESTINATIONS.get(kind, "escrow")
            elif name == acct.CHARITY:
                to = "charity"
            else:
                to = "creator"
            totals[(posting.get("key", ""), to)] += posting["cents"]
    found = [Destination(key, to, cents) for (key, to), cents in totals.items() if cents]
    return sorted(found, key=lambda d: (-d.cents, d.key, d.to))


def funder_months(txns: Iterable[dict], funder_id: str) -> list[FunderMonth]:
    """Month by month (oldest first): what the funder gave, got back and topped up."""
    account = acct.funder_account(funder_id)
    rows: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for txn in txns:
        own = _own(txn, account)
        if not own:
            continue
        kind = txn.get("kind")
        row = rows[txn["month"]]
        if kind == "settle":
            row["flattrs"] -= own
        elif kind == "gift":
            row["gifts"] -= own
        elif kind in REFUND_KINDS:
            row["returned"] += own
        elif kind == "fund":
            row["topped_up"] += own
    return [
        FunderMonth(
            month,
            row["flattrs"],
            row["gifts"],
            row["returned"],
            row["topped_up"],
        )
        for month, row in sorted(rows.items())
    ]


def creator_income(txns: Iterable[dict], creator_id: str) -> list[IncomeMonth]:
    """Month by month (oldest first): what the creator's keys earned, and payouts.

    Gross is net plus the commission taken on the same keys in the same movement.
    A failed payout that came back is neither income nor a payout.
    """
    account = acct.creator_account(creator_id)
    rows: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for txn in txns:
        kind = txn.get("kind")
        row = rows[txn["month"]]
        if kind in INCOME_KINDS:
            mine = [p for p in txn["postings"] if p["account"] == account and p["cents"] > 0]
            if not mine:
                continue
            keys = {p.get("key") for p in mine}
            net = sum(p["cents"] for p in mine)
            cut = sum(
                p["cents"]
                for p in txn["postings"]
                if p["account"] == acct.COMMISSION and p.get("key") in keys
            )
            row["net"] += net
            row["commission"] += cut
        elif kind == "payout" or kind == "payout_failed":
            row["paid_out"] -= _own(txn, account)
    return [
        IncomeMonth(
            month,
            row["net"] + row["commission"],
            row["commission"],
            row["net"],
            row["paid_out"],
        )
        for month, row in sorted(rows.items())
        if row["net"] or row["commission"] or row["paid_out"]
    ]


def escrow_lots(txns: Iterable[dict]) -> dict[str, list[str]]:
    """The escrow lots these movements made, by escrow account."""
    lots: dict[str, list[str]] = defaultdict(list)
    for txn in txns:
        for posting in txn.get("postings", []):
            if posting.get("lot"):
                lots[posting["account"]].append(lot_id(txn["_id"], posting["key"]))
    return dict(lots)
