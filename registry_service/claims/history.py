"""The append-only history of claims (every state change with its time and evidence), and
the notices that tell a creator what happened to their claims."""

from __future__ import annotations

from bson import ObjectId

from registry_service.claims import store
from registry_service.context import Context

SYSTEM = "system"

EVENT_TYPES = (
    "created",
    "check_failed",
    "verified",
    "rechecked",
    "recheck_failed",
    "recheck_inconclusive",
    "lapsed",
    "transferred_away",
    "transferred_in",
    "declined",
    "undeclined",
    "delegation_added",
    "delegation_revoked",
    "escrow_released",
    "escrow_refunded",
    "withdrawn",
)


async def record(
    context: Context,
    claim: dict,
    event_type: str,
    *,
    actor: ObjectId | str = SYSTEM,
    evidence: dict | None = None,
    message: str = "",
) -> dict:
    assert event_type in EVENT_TYPES, event_type
    doc = {
        "_id": ObjectId(),
        "claim_id": claim["_id"],
        "account_id": claim["account_id"],
        "key": claim["key"],
        "type": event_type,
        "at": context.clock.now(),
        "actor": actor,
        "message": message,
        "evidence": evidence or {},
    }
    await store.append_event(context.db, doc)
    return doc


async def notify(context: Context, claim: dict, kind: str, message: str) -> None:
    await store.insert_notice(
        context.db,
        {
            "_id": ObjectId(),
            "account_id": claim["account_id"],
            "claim_id": claim["_id"],
            "key": claim["key"],
            "kind": kind,
            "message": message,
            "at": context.clock.now(),
        },
    )


def redact(value, token: str | None):
    """The same data with the claim's token replaced, for eyes other than its owner's."""
    if not token:
        return value
    if isinstance(value, str):
        return value.replace(token, "<token>")
    if isinstance(value, dict):
        return {k: redact(v, token) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v, token) for v in value]
    return value


def event_json(doc: dict, *, hide_token: str | None = None) -> dict:
    actor = doc.get("actor")
    return redact(_event_json(doc, actor), hide_token)


def _event_json(doc: dict, actor) -> dict:
    return {
        "id": str(doc["_id"]),
        "claim_id": str(doc["claim_id"]),
        "key": doc["key"],
        "type": doc["type"],
        "at": doc["at"].isoformat(),
        "actor": str(actor) if actor is not None else None,
        "message": doc.get("message", ""),
        "evidence": _jsonable(doc.get("evidence") or {}),
    }


def notice_json(doc: dict) -> dict:
    return {
        "id": str(doc["_id"]),
        "claim_id": str(doc["claim_id"]),
        "key": doc["key"],
        "kind": doc["kind"],
        "message": doc["message"],
        "at": doc["at"].isoformat(),
    }


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, ObjectId):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
