"""Names of the ledger's accounts (strings in postings), and which may go below zero."""

from __future__ import annotations

from bson import ObjectId

COMMISSION = "platform:commission"
CHARITY = "platform:charity"
FUNDER = "funder:"
CREATOR = "creator:"
ESCROW = "escrow:"
PROVIDER = "provider:"  # money held at (or owed by) a payment provider: outside the platform
PROVIDER_FEES = "provider-fees:"  # what providers keep from top-ups: outside too


def funder_account(account_id: ObjectId | str) -> str:
    return f"{FUNDER}{account_id}"


def creator_account(account_id: ObjectId | str) -> str:
    return f"{CREATOR}{account_id}"


def escrow_account(key: str) -> str:
    return f"{ESCROW}{key}"


def provider_account(provider: str) -> str:
    return f"{PROVIDER}{provider}"


def provider_fees_account(provider: str) -> str:
    return f"{PROVIDER_FEES}{provider}"


def is_external(account: str) -> bool:
    """Contra accounts for money outside the platform: they may be negative."""
    return account.startswith((PROVIDER, PROVIDER_FEES))


def key_of_escrow(account: str) -> str:
    return account.removeprefix(ESCROW)


def owner_id(account: str) -> str:
    """The account id inside `funder:<id>` or `creator:<id>`."""
    return account.split(":", 1)[1]
