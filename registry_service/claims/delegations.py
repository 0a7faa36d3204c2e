"""Delegations: the verified owner of a domain hands a path prefix to another creator.

Written here, read by the resolver (collection `delegations`, see docs/architecture.md):
a URL whose host (without www.) is `host` and whose path starts with `path_prefix` pays
`creator_key`; the longest prefix wins; only while the delegating claim is verified
(a lapse, transfer or withdrawal revokes the claim's delegations).
"""

from __future__ import annotations

import contextlib
import posixpath
import re
from urllib.parse import quote, unquote, urlsplit

from bson import ObjectId
from bson.errors import InvalidId

from registry_service.api.errors import Conflict, NotFound, Unprocessable
from registry_service.claims import history, store
from registry_service.claims.domains import DomainError, parse_domain
from registry_service.claims.service import own_claim, parse_id
from registry_service.context import Context
from registry_service.resolve.changes import announce_change

MAX_PREFIX = 512


def normalize_prefix(raw: str) -> str:
    """A path prefix in the form the resolver compares: starts with '/', no query,
    no fragment, no dot segments, percent-encoding normalised."""
    text = raw.strip()
    parts = urlsplit(text)
    if parts.scheme or parts.netloc or parts.query or parts.fragment or not text.startswith("/"):
        raise Unprocessable(
            "invalid_path_prefix",
            f"{raw!r} is not a path prefix: give the path alone, starting with '/', "
            "like /authors/bob/.",
        )
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~")
    segments = path.split("/")
    if any(s in (".", "..") for s in segments) or "//" in path:
        raise Unprocessable(
            "invalid_path_prefix", f"{raw!r} has empty, '.' or '..' segments; write it plainly."
        )
    if len(path) > MAX_PREFIX:
        raise Unprocessable("invalid_path_prefix", "The path prefix is too long.")
    return posixpath.normpath(path) + ("/" if path.endswith("/") and path != "/" else "")


async def _creator(context: Context, creator_id: str) -> dict:
    text = creator_id.strip()
    account = None
    with contextlib.suppress(InvalidId, TypeError):
        account = await context.db.accounts.find_one({"_id": ObjectId(text)})
    if account is None:
        handle = re.sub(r"^(omniflattr:|@)", "", text).lower()
        account = await context.db.accounts.find_one({"handle": handle})
    if account is None:
        raise Unprocessable(
            "unknown_creator", f"There is no creator account {creator_id!r} (an id or a handle)."
        )
    return account


def _host(claim: dict, raw_host: str | None) -> str:
    domain = claim["key"].split(":", 1)[1]
    if not raw_host:
        return domain
    try:
        host = parse_domain(raw_host).host
    except DomainError as exc:
        raise Unprocessable("invalid_host", f"{raw_host!r}: {exc}.") from None
    if host != domain and not host.endswith("." + domain):
        raise Unprocessable("invalid_host", f"{host} is not part of {domain}.")
    return host


async def _domain_owner_claim(context: Context, account_id: ObjectId, claim_id: str) -> dict:
    claim = await own_claim(context, account_id, claim_id)
    if not claim["key"].startswith("domain:"):
        raise Unprocessable("not_a_domain", "Only a domain's paths can be delegated.")
    if claim["status"] != "verified":
        raise Conflict(
            "claim_not_verified",
            f"Verify {claim['key']} first; this claim is {claim['status']}.",
        )
    return claim


async def add_delegation(
    context: Context,
    account_id: ObjectId,
    claim_id: str,
    path_prefix: str,
    creator_id: str,
    host: str | None = None,
) -> dict:
    claim = await _domain_owner_claim(context, account_id, claim_id)
    prefix = normalize_prefix(path_prefix)
    target_host = _host(claim, host)
    creator = await _creator(context, creator_id)
    existing = await store.active_delegation(context.db, target_host, prefix)
    if existing is not None:
        raise Conflict(
            "already_delegated",
            f"{target_host}{prefix} is already delegated to {existing['creator_key']}; "
            "revoke that first.",
        )
    doc = {
        "_id": ObjectId(),
        "claim_id": claim["_id"],
        "key": claim["key"],
        "host": target_host,
        "path_prefix": prefix,
        "creator_account_id": creator["_id"],
        "creator_key": f"omniflattr:{creator['handle']}",
        "created_at": context.clock.now(),
        "revoked_at": None,
    }
    await store.insert_delegation(context.db, doc)
    await announce_change(context.db, f"claims: delegation {target_host}{prefix}")
    await history.record(
        context,
        claim,
        "delegation_added",
        actor=account_id,
        evidence={
            "delegation_id": doc["_id"],
            "host": target_host,
            "path_prefix": prefix,
            "creator_key": doc["creator_key"],
        },
        message=f"{target_host}{prefix} now pays {doc['creator_key']}.",
    )
    return doc


async def list_delegations(context: Context, account_id: ObjectId, claim_id: str) -> list[dict]:
    claim = await own_claim(context, account_id, claim_id)
    return await store.delegations_of(context.db, claim["_id"])


async def revoke(context: Context, account_id: ObjectId, claim_id: str, delegation_id: str) -> dict:
    claim = await own_claim(context, account_id, claim_id)
    doc = await store.revoke_delegation(
        context.db, claim["_id"], parse_id(delegation_id, "delegation"), context.clock.now()
    )
    if doc is None:
        raise NotFound("delegation_not_found", "This claim has no such active delegation.")
    await announce_change(
        context.db, f"claims: delegation {doc['host']}{doc['path_prefix']} revoked"
    )
    await history.record(
        context,
        claim,
        "delegation_revoked",
        actor=account_id,
        evidence={"delegation_id": doc["_id"]},
        message=f"{doc['host']}{doc['path_prefix']} no longer pays {doc['creator_key']}.",
    )
    return doc


def delegation_json(doc: dict) -> dict:
    revoked = doc.get("revoked_at")
    return {
        "id": str(doc["_id"]),
        "claim_id": str(doc["claim_id"]),
        "key": doc["key"],
        "host": doc["host"],
        "path_prefix": doc["path_prefix"],
        "creator_account_id": str(doc["creator_account_id"]),
        "creator_key": doc["creator_key"],
        "created_at": doc["created_at"].isoformat(),
        "revoked_at": revoked.isoformat() if revoked else None,
    }
