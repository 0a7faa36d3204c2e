"""The configured provider (OMNIFLATTR_PAYMENT_PROVIDER)."""

from __future__ import annotations

from registry_service.context import Context
from registry_service.ledger.providers.sandbox import SandboxProvider
from registry_service.ledger.providers.webhook import WebhookProvider

_PROVIDERS = {"sandbox": SandboxProvider, "webhook": WebhookProvider}


def get_provider(context: Context):
    return _PROVIDERS[context.settings.payment_provider]()
