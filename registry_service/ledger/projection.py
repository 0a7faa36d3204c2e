"""What a month would pay if it were settled now (pure; shown to funders)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from registry_service.ledger.budget import Budget, month_spend
from registry_service.ledger.split import largest_remainder


@dataclass(frozen=True)
class Projection:
    flattrs: int
    weight_sum: int
    spend_cents: int
    per_flattr_cents: int  # a weight-1 flattr's share, rounded down
    shares: dict[str, int]  # flattr id -> projected cents


def project(budget: Budget, balance_cents: int, flattrs: Sequence[dict]) -> Projection:
    """`flattrs`: dicts with thing_id, weight and (optionally) id."""
    weights = [int(f["weight"]) for f in flattrs]
    weight_sum = sum(weights)
    spend = month_spend(budget, weight_sum, balance_cents)
    parts = largest_remainder(spend, weights, [f["thing_id"] for f in flattrs])
    shares = {f["id"]: part for f, part in zip(flattrs, parts, strict=True) if "id" in f}
    return Projection(
        flattrs=len(flattrs),
        weight_sum=weight_sum,
        spend_cents=spend,
        per_flattr_cents=spend // weight_sum if weight_sum else 0,
        shares=shares,
    )
