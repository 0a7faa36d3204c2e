"""What one funder's month pays, to the cent: pure, so it can be property-tested.

A flattr's share is proportional to its weight (largest remainder, ties by thing id);
a thing with several keys (co-authors) shares its part equally among them. A claimed
key's share goes to its owner's creator balance minus commission (0 % for NGOs); an
unclaimed key's share becomes an escrow lot for that key; a declined key is not paid.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from registry_service.ledger import accounts as acct
from registry_service.ledger.budget import Budget, month_spend
from registry_service.ledger.money import commission
from registry_service.ledger.split import equal_split, largest_remainder


@dataclass(frozen=True)
class KeyState:
    """Who a key pays now: an owner (claimed), nobody yet (escrow), or nobody (declined)."""

    owner_id: str | None = None
    ngo: bool = False
    declined: bool = False

    @property
    def claimed(self) -> bool:
        return self.owner_id is not None and not self.declined


@dataclass(frozen=True)
class FlattrItem:
    id: str
    thing_id: str
    weight: int
    keys: tuple[str, ...]  # empty when the thing no longer resolves


@dataclass(frozen=True)
class LotInfo:
    since: datetime
    expires_at: datetime


@dataclass
class Plan:
    spend: int
    postings: list[dict] = field(default_factory=list)
    flattrs: list[dict] = field(default_factory=list)


def payable_keys(item: FlattrItem, states: Mapping[str, KeyState]) -> tuple[str, ...]:
    return tuple(k for k in dict.fromkeys(item.keys) if not states.get(k, KeyState()).declined)


def key_postings(
    key: str,
    cents: int,
    state: KeyState,
    commission_bp: int,
) -> list[dict]:
    """Postings crediting `cents` to what `key` pays now."""
    if cents <= 0:
        return []
    if state.claimed:
        cut = commission(cents, commission_bp, ngo=state.ngo)
        out = [{"account": acct.creator_account(state.owner_id), "cents": cents - cut, "key": key}]
        if cut:
            out.append({"account": acct.COMMISSION, "cents": cut, "key": key})
        return [p for p in out if p["cents"]]
    return [{"account": acct.escrow_account(key), "cents": cents, "key": key, "lot": True}]


def lot_id(txn_id: str, key: str) -> str:
    """A lot is named by the movement that put it in escrow and its key."""
    return f"{txn_id}|{key}"


def lot_fields(postings: list[dict], lot: LotInfo) -> dict:
    """Movement-level fields of its lots (all lots of one movement share them)."""
    if not any(p.get("lot") for p in postings):
        return {}
    return {"lot_since": lot.since, "lot_expires_at": lot.expires_at}


TOTALS = ("creators", "escrow", "commission", "charity")


def posting_totals(postings: Sequence[dict]) -> dict[str, int]:
    """Cents a movement moved to creators, escrow, commission and charity.

    Stored on each settlement so a month's summary is one pass over top-level fields
    instead of unwinding every posting.
    """
    totals = dict.fromkeys(TOTALS, 0)
    for posting in postings:
        account = posting["account"]
        if account.startswith(acct.CREATOR):
            totals["creators"] += posting["cents"]
        elif account.startswith(acct.ESCROW):
            totals["escrow"] += posting["cents"]
        elif account == acct.COMMISSION:
            totals["commission"] += posting["cents"]
        elif account == acct.CHARITY:
            totals["charity"] += posting["cents"]
    return totals


def plan_month(
    *,
    txn_id: str,
    funder_id: str,
    month: str,
    budget: Budget,
    balance_cents: int,
    flattrs: Sequence[FlattrItem],
    states: Mapping[str, KeyState],
    commission_bp: int,
    lot: LotInfo,
    unspent_to_charity: bool = False,
) -> Plan:
    """The postings of one funder's settlement for `month` (they sum to zero)."""
    payable = [(item, payable_keys(item, states)) for item in flattrs]
    paid = [(item, keys) for item, keys in payable if keys]
    weight_sum = sum(item.weight for item, _ in paid)
    plan = Plan(spend=month_spend(budget, weight_sum, balance_cents))
    shares = largest_remainder(
        plan.spend, [item.weight for item, _ in paid], [item.thing_id for item, _ in paid]
    )
    per_key: dict[str, int] = {}
    cents_of: dict[str, int] = {}
    for (item, keys), share in zip(paid, shares, strict=True):
        cents_of[item.id] = share
        for key, part in equal_split(share, keys).items():
            per_key[key] = per_key.get(key, 0) + part
    for item, keys in payable:
        plan.flattrs.append(
            {
                "id": item.id,
                "weight": item.weight,
                "keys": list(keys),
                "cents": cents_of.get(item.id, 0),
            }
        )
    for key in sorted(per_key):
        plan.postings += key_postings(
            key,
            per_key[key],
            states.get(key, KeyState()),
            commission_bp,
        )
    if not paid and unspent_to_charity:
        plan.spend = max(0, min(budget.monthly_cents, balance_cents))
        if plan.spend:
            plan.postings.append({"account": acct.CHARITY, "cents": plan.spend})
    if plan.spend:
        plan.postings.insert(0, {"account": acct.funder_account(funder_id), "cents": -plan.spend})
    return plan
