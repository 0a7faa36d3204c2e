"""The interface every payment provider implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class ProviderResult:
    state: str  # "succeeded" (money moved now) or "pending" (a signed webhook will tell)
    reference: str  # the provider's reference for this payment


class PaymentProvider(Protocol):
    name: str

    async def start_funding(self, intent: dict) -> ProviderResult:
        """Ask the funder's payment of `intent["amount_cents"]` (by `intent["method"]`)."""
        ...

    async def send_payout(self, payout: dict) -> ProviderResult:
        """Send `payout["amount_cents"]` to the creator."""
        ...
