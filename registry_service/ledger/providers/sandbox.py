"""The sandbox provider: every payment succeeds at once (development and tests)."""

from __future__ import annotations

from registry_service.ledger.providers.base import ProviderResult


class SandboxProvider:
    name = "sandbox"

    async def start_funding(self, intent: dict) -> ProviderResult:
        return ProviderResult("succeeded", f"sbx_{intent['_id']}")

    async def send_payout(self, payout: dict) -> ProviderResult:
        return ProviderResult("succeeded", f"sbx_{payout['_id']}")
