"""Creating accounts, checking passwords, issuing and revoking tokens."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from bson import ObjectId
from pymongo.errors import DuplicateKeyError

from registry_service.accounts import passwords, token_cache
from registry_service.accounts.tokens import new_token, token_hash
from registry_service.api.errors import Conflict, NotFound, Unauthorized, Unprocessable
from registry_service.api.ratelimit import db_rate_limit
from registry_service.context import Context

HANDLE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{1,31}$")
_DUMMY_HASH: str | None = None


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-_")[:24]
    return slug if len(slug) >= 2 else "creator"


def check_password_rules(password: str) -> None:
    if len(password) < passwords.MIN_LENGTH:
        raise Unprocessable(
            "weak_password", f"The password needs at least {passwords.MIN_LENGTH} characters."
        )
    if len(password) > passwords.MAX_LENGTH:
        raise Unprocessable("weak_password", "The password is too long.")


async def create_account(
    context: Context, email: str, password: str, display_name: str, handle: str | None = None
) -> dict:
    email = email.strip().lower()
    check_password_rules(password)
    if handle is not None:
        handle = handle.strip().lower()
        if not HANDLE_RE.match(handle):
            raise Unprocessable(
                "invalid_handle",
                "A handle is 2–32 characters: lowercase letters, digits, '-' or '_'.",
            )
    fast = context.settings.env == "test"
    doc = {
        "email": email,
        "password_hash": await passwords.hash_password(password, fast=fast),
        "display_name": display_name.strip(),
        "created_at": context.clock.now(),
    }
    for attempt in range(8):
        doc["_id"] = ObjectId()
        doc["handle"] = handle or (
            _slug(display_name or email.split("@")[0])
            + ("" if attempt == 0 else f"-{secrets.randbelow(10**4):04d}")
        )
        try:
            await context.db.accounts.insert_one(doc)
            return doc
        except DuplicateKeyError as exc:
            if "email" in str(exc):
                raise Conflict(
                    "email_taken", "An account with this email already exists."
                ) from None
            if handle is not None:
                raise Conflict("handle_taken", f"The handle {handle!r} is taken.") from None
    raise Conflict("handle_taken", "Could not find a free handle; choose one.")


async def check_credentials(context: Context, email: str, password: str) -> dict:
    """The account for these credentials, or 401 (rate-limited per email)."""
    global _DUMMY_HASH
    email = email.strip().lower()
    await db_rate_limit(
        context.db,
        f"signin:{email}",
        10,
        timedelta(minutes=15),
        context.clock.now(),
        "Too many sign-in attempts for this account; wait a few minutes.",
    )
    account = await context.db.accounts.find_one({"email": email})
    if account is None:
        # Spend the same time as a real check so timing does not reveal accounts.
        if _DUMMY_HASH is None:
            _DUMMY_HASH = await passwords.hash_password("not-a-password")
        await passwords.verify_password(_DUMMY_HASH, password)
        raise Unauthorized("bad_credentials", "The email or the password is wrong.")
    if not await passwords.verify_password(account["password_hash"], password):
        raise Unauthorized("bad_credentials", "The email or the password is wrong.")
    return account


async def change_password(context: Context, account_id: ObjectId, old: str, new: str) -> None:
    account = await context.db.accounts.find_one({"_id": account_id})
    if account is None or not await passwords.verify_password(account["password_hash"], old):
        raise Unauthorized("bad_credentials", "The current password is wrong.")
    check_password_rules(new)
    new_hash = await passwords.hash_password(new, fast=context.settings.env == "test")
    await context.db.accounts.update_one({"_id": account_id}, {"$set": {"password_hash": new_hash}})


async def issue_token(
    context: Context, account_id: ObjectId, scope: str, label: str
) -> tuple[str, dict]:
    token = new_token()
    doc = {
        "_id": ObjectId(),
        "account_id": account_id,
        "hash": token_hash(token),
        "scope": scope,
        "label": label.strip()[:100],
        "created_at": context.clock.now(),
        "revoked_at": None,
    }
    await context.db.tokens.insert_one(doc)
    return token, doc


async def list_tokens(context: Context, account_id: ObjectId) -> list[dict]:
    cursor = context.db.tokens.find({"account_id": account_id, "revoked_at": None}).sort(
        "created_at", 1
    )
    return [doc async for doc in cursor]


async def revoke_token(context: Context, account_id: ObjectId, token_id: str) -> None:
    try:
        oid = ObjectId(token_id)
    except Exception:
        raise NotFound("token_not_found", "No such token.") from None
    result = await context.db.tokens.update_one(
        {"_id": oid, "account_id": account_id, "revoked_at": None},
        {"$set": {"revoked_at": context.clock.now()}},
    )
    token_cache.forget_token(context, oid)
    if result.matched_count == 0:
        raise NotFound("token_not_found", "No such token among yours.")


def public_token(doc: dict) -> dict:
    return {
        "id": str(doc["_id"]),
        "scope": doc["scope"],
        "label": doc["label"],
        "created_at": doc["created_at"].isoformat(),
    }
