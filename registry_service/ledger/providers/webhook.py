"""A real provider that reports outcomes through signed webhooks.

The provider cannot be reached from here: starting a payment records it as pending, and
the provider later calls POST /api/v1/funding/webhook with a body signed like
`Omniflattr-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">` under
OMNIFLATTR_WEBHOOK_SECRET.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from registry_service.ledger.providers.base import ProviderResult

SIGNATURE_HEADER = "Omniflattr-Signature"
TOLERANCE_S = 300


class WebhookProvider:
    name = "webhook"

    async def start_funding(self, intent: dict) -> ProviderResult:
        return ProviderResult("pending", str(intent["_id"]))

    async def send_payout(self, payout: dict) -> ProviderResult:
        return ProviderResult("pending", str(payout["_id"]))


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The header value a provider sends (also used by tests and local tools)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def verify(secret: str, header: str, body: bytes, now: datetime) -> str | None:
    """None when the signature is good and fresh, else what is wrong."""
    fields: dict[str, list[str]] = {}
    for part in header.split(","):
        name, sep, value = part.strip().partition("=")
        if sep:
            fields.setdefault(name, []).append(value)
    try:
        timestamp = int(fields.get("t", [""])[0])
    except ValueError:
        return f"the {SIGNATURE_HEADER} header has no timestamp t=..."
    if abs(now.timestamp() - timestamp) > TOLERANCE_S:
        return f"the signature's timestamp is more than {TOLERANCE_S} s away from now"
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    if not any(hmac.compare_digest(expected, given) for given in fields.get("v1", [])):
        return "the signature does not match the body"
    return None
