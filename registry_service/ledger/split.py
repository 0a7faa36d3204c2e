"""Exact splits of an amount in cents: largest remainder with a deterministic tie-break."""

from __future__ import annotations

from collections.abc import Hashable, Sequence


def largest_remainder(
    total: int, weights: Sequence[int], tie_keys: Sequence[Hashable]
) -> list[int]:
    """Split `total` cents proportionally to `weights`, exactly.

    Each part gets the floor of its exact share; the cents left over go one each to
    the largest remainders, ties broken by `tie_keys` (ascending), so the same input
    always gives the same cents. Parts with weight 0 get nothing.
    """
    if total < 0:
        raise ValueError("cannot split a negative amount")
    if len(weights) != len(tie_keys):
        raise ValueError("one tie key per weight")
    if any(w < 0 for w in weights):
        raise ValueError("weights are never negative")
    weight_sum = sum(weights)
    if weight_sum == 0:
        if total:
            raise ValueError("cannot split a positive amount over no weight")
        return [0] * len(weights)
    parts = [total * w // weight_sum for w in weights]
    remainders = [total * w % weight_sum for w in weights]
    left = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], tie_keys[i], i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def equal_split(total: int, names: Sequence[str]) -> dict[str, int]:
    """`total` shared equally by distinct names (co-authors), ties by name."""
    unique = sorted(set(names))
    parts = largest_remainder(total, [1] * len(unique), unique)
    return dict(zip(unique, parts, strict=True))
