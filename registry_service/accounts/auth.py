"""Who is calling: bearer tokens for the API (web pages use sessions, see `web`)."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from aiohttp import web
from bson import ObjectId

from registry_service.accounts import token_cache
from registry_service.accounts.tokens import token_hash
from registry_service.api.errors import Unauthorized
from registry_service.context import Context


@dataclass(frozen=True)
class Principal:
    account_id: ObjectId
    email: str
    display_name: str
    scope: str  # "extension", "full" or "session"
    is_admin: bool
    token_id: ObjectId | None = None


def is_admin(context: Context, account: dict) -> bool:
    return bool(account.get("is_admin")) or account["email"] in context.settings.admin_emails


def principal_for(context: Context, account: dict, scope: str, token_id=None) -> Principal:
    return Principal(
        account_id=account["_id"],
        email=account["email"],
        display_name=account.get("display_name", ""),
        scope=scope,
        is_admin=is_admin(context, account),
        token_id=token_id,
    )


async def authenticate(request: web.Request, context: Context) -> Principal | None:
    """The principal of a bearer token, None without one; 401 for a bad one."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("invalid_token", "Use Authorization: Bearer <token>.")
    hashed = token_hash(token.strip())
    cached = token_cache.get(context, hashed)
    if cached is not None:
        record, account = cached
        return principal_for(context, account, record["scope"], record["_id"])
    record = await context.db.tokens.find_one({"hash": hashed})
    if record is None or record.get("revoked_at") is not None:
        raise Unauthorized("invalid_token", "This token is unknown or was revoked; connect again.")
    account = await context.db.accounts.find_one({"_id": record["account_id"]})
    if account is None:
        raise Unauthorized("invalid_token", "The account of this token no longer exists.")
    token_cache.put(context, hashed, record, account)
    return principal_for(context, account, record["scope"], record["_id"])


def basic_credentials(request: web.Request) -> tuple[str, str]:
    """email and password from HTTP Basic auth, or 401."""
    header = request.headers.get("Authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        raise Unauthorized(
            "basic_auth_required", "Send your email and password with HTTP Basic authentication."
        )
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise Unauthorized(
            "basic_auth_required", "The Basic credentials are not valid base64."
        ) from None
    email, sep, password = decoded.partition(":")
    if not sep:
        raise Unauthorized("basic_auth_required", "Basic credentials must be email:password.")
    return email.strip().lower(), password
