"""Prometheus metrics of the claims domain (served with the others at /metrics)."""

from __future__ import annotations

from prometheus_client import Counter

CHECKS = Counter(
    "omniflattr_claim_checks_total",
    "Claim checks run, by why (verify or recheck) and result (ok or failed)",
    ["why", "result"],
)
OWNERSHIP_CHANGES = Counter(
    "omniflattr_claim_ownership_changes_total",
    "Keys that changed hands: verified, transferred, lapsed or withdrawn",
    ["change"],
)
