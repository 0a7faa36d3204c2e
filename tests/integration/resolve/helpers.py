"""Writing the documents other packages write (claims, crawler), straight into the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bson import ObjectId

from registry_service.resolve.changes import announce_change
from registry_service.resolve.keys import key_sha256

NOW = datetime.now(UTC)


async def account(db, handle: str, display_name: str | None = None) -> ObjectId:
    account_id = ObjectId()
    await db.accounts.insert_one(
        {
            "_id": account_id,
            "email": f"{handle}@example.org",
            "handle": handle,
            "display_name": display_name or handle.title(),
            "created_at": NOW,
        }
    )
    return account_id


async def own(db, key: str, account_id: ObjectId, *, declined=False, claim_id=None) -> ObjectId:
    """A verified owner of `key` (what the claims package keeps in key_owners)."""
    claim_id = claim_id or ObjectId()
    await db.key_owners.replace_one(
        {"_id": key},
        {
            "_id": key,
            "key_sha256": key_sha256(key),
            "account_id": account_id,
            "claim_id": claim_id,
            "since": NOW,
            "declined": declined,
        },
        upsert=True,
    )
    return claim_id


async def delegate(db, key, claim_id, host, prefix, creator_key, *, revoked=False) -> None:
    await db.delegations.insert_one(
        {
            "_id": ObjectId(),
            "claim_id": claim_id,
            "key": key,
            "host": host,
            "path_prefix": prefix,
            "creator_account_id": ObjectId(),
            "creator_key": creator_key,
            "created_at": NOW,
            "revoked_at": NOW if revoked else None,
        }
    )
    await announce_change(db, "test: delegation")  # as the claims package does


async def crawled(db, url: str, *, creators=(), platform_key=None, age_days=0, status=200):
    await db.page_signals.replace_one(
        {"_id": url},
        {
            "_id": url,
            "final_url": url,
            "fetched_at": NOW - timedelta(days=age_days),
            "status": status,
            "creators": list(creators),
            "platform_key": platform_key,
            "identities": [],
            "hints": {},
            "also_accepts": [],
        },
        upsert=True,
    )
