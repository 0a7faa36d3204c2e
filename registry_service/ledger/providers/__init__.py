"""Payment providers: how money comes in (top-ups) and goes out (payouts)."""

from registry_service.ledger.providers.base import PaymentProvider, ProviderResult
from registry_service.ledger.providers.registry import get_provider

__all__ = ["PaymentProvider", "ProviderResult", "get_provider"]
