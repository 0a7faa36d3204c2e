"""How claims look in the API: only their owner ever sees the token and instructions."""

from __future__ import annotations

from datetime import datetime

from registry_service.claims.history import redact
from registry_service.claims.instructions import instructions
from registry_service.claims.keys import KeyRuleError, parse_claim_key
from registry_service.context import Context


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _check(check: dict | None) -> dict | None:
    if not check:
        return None
    return {
        "at": _time(check.get("at")),
        "ok": bool(check.get("ok")),
        "summary": check.get("summary", ""),
        "findings": [
            {k: f.get(k) for k in ("method", "target", "outcome", "ok", "message")}
            for f in check.get("findings", [])
        ],
    }


def claim_json(
    context: Context, claim: dict, *, handle: str | None = None, owner_view: bool = True
) -> dict:
    body = {
        "id": str(claim["_id"]),
        "key": claim["key"],
        "account_id": str(claim["account_id"]),
        "status": claim["status"],
        "declined": bool(claim.get("declined")),
        "created_at": _time(claim.get("created_at")),
        "verified_at": _time(claim.get("verified_at")),
        "verified_method": claim.get("verified_method"),
        "ended_at": _time(claim.get("ended_at")),
        "last_check": _check(claim.get("last_check")),
        "next_check_at": _time(claim.get("next_check_at"))
        if claim["status"] == "verified"
        else None,
        "consecutive_failures": int(claim.get("consecutive_failures") or 0),
        "failing_since": _time(claim.get("failing_since")),
        "escrow_released_cents": claim.get("escrow_released_cents"),
    }
    if not owner_view:
        return redact(body, claim["token"])
    body["token"] = claim["token"]
    if claim.get("open"):
        try:
            key = parse_claim_key(claim["key"])
        except KeyRuleError:
            key = None
        body["instructions"] = (
            instructions(context, key, claim["token"], handle or "") if key else []
        )
    return body
