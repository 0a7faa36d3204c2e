"""Helpers for ledger tests: clock, claims (key_owners written directly), money."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime

from bson import ObjectId

from registry_service.api.state import CONTEXT
from registry_service.ledger import accounts as acct
from registry_service.ledger import journal
from tests.conftest import new_account
from tests.integration.ledger.conftest import ADMIN_EMAIL


def context_of(api):
    return api.app[CONTEXT]


def set_clock(api, when: str) -> None:
    context_of(api).clock.fixed = datetime.fromisoformat(when).replace(tzinfo=UTC)


async def claim(db, key: str, account_id, *, declined: bool = False) -> ObjectId:
    """Make `key` claimed (or declined) by an account, as the claims package would."""
    claim_id = ObjectId()
    await db.key_owners.replace_one(
        {"_id": key},
        {
            "_id": key,
            "key_sha256": hashlib.sha256(key.encode()).hexdigest(),
            "account_id": ObjectId(str(account_id)),
            "claim_id": claim_id,
            "since": datetime(2026, 1, 1, tzinfo=UTC),
            "declined": declined,
        },
        upsert=True,
    )
    return claim_id


def oid(who: dict) -> ObjectId:
    return ObjectId(who["id"])


async def topup(api, who: dict, cents: int, method: str = "card") -> dict:
    resp = await api.post(
        "/api/v1/funding", json={"amount_cents": cents, "method": method}, headers=who["headers"]
    )
    assert resp.status == 201, await resp.text()
    return await resp.json()


async def flattr(api, who: dict, url: str, weight: int = 1, status: int = 201) -> dict:
    resp = await api.post(
        "/api/v1/flattrs", json={"url": url, "weight": weight}, headers=who["headers"]
    )
    assert resp.status == status, await resp.text()
    return await resp.json()


async def balances(api, *accounts: str) -> dict[str, int]:
    return await journal.balances(context_of(api).db, accounts)


async def balance_of(api, account: str) -> int:
    return (await balances(api, account))[account]


def funder(who: dict) -> str:
    return acct.funder_account(who["id"])


def creator(who: dict) -> str:
    return acct.creator_account(who["id"])


async def admin(api) -> dict:
    return await new_account(api, email=ADMIN_EMAIL, display_name="Admin")


async def settle_by_admin(api, admin_account: dict, month: str) -> dict:
    resp = await api.post(
        "/api/v1/admin/settlements", json={"month": month}, headers=admin_account["headers"]
    )
    assert resp.status in (200, 202), await resp.text()
    for _ in range(600):
        resp = await api.get(f"/api/v1/admin/settlements/{month}", headers=admin_account["headers"])
        if resp.status == 200:
            state = await resp.json()
            if state["phase"] == "done":
                return state
        await asyncio.sleep(0.05)
    raise AssertionError(f"the settlement of {month} did not finish")
