"""Browser sessions: a random id in an HttpOnly cookie, only its hash in the database.

Sessions use the wall clock, not the service clock: a fixed demo clock must not sign
people out (or keep them signed in) by accident. A session exists before sign-in too,
as soon as a page shows a form, so that sign-in and sign-up forms carry a CSRF token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from aiohttp import web
from bson import ObjectId

from registry_service.context import Context
from registry_service.web import store

SIGNED_IN_LIFETIME = timedelta(days=14)
ANONYMOUS_LIFETIME = timedelta(hours=12)
# A signed-in session's expiry slides forward on use, at most this often (one write).
EXTEND_AFTER = timedelta(hours=1)

SESSION_KEY = web.RequestKey("web_session", object)
COOKIE_KEY = web.RequestKey("web_session_cookie", object)


def wall_clock() -> datetime:
    return datetime.now(UTC)


def hash_session_id(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def cookie_name(context: Context) -> str:
    # The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only
    # and for path /, so a sibling subdomain cannot plant one.
    return "omniflattr_session" if context.settings.is_dev_or_test else "__Host-omniflattr_session"


@dataclass
class WebSession:
    id_hash: str
    account_id: ObjectId | None
    csrf_token: str
    expires_at: datetime
    flashes: list[dict] = field(default_factory=list)

    def csrf_matches(self, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf_token, str(token))


def _from_doc(doc: dict) -> WebSession:
    return WebSession(
        doc["_id"],
        doc.get("account_id"),
        doc["csrf_token"],
        doc["expires_at"],
        list(doc.get("flashes") or []),
    )


def current(request: web.Request) -> WebSession | None:
    return request.get(SESSION_KEY)


async def load(request: web.Request, context: Context) -> WebSession | None:
    """The request's live session (its expiry extended when due), or None."""
    raw = request.cookies.get(cookie_name(context))
    if not raw or len(raw) > 200:
        return None
    now = wall_clock()
    doc = await store.find_session(context.db, hash_session_id(raw), now)
    if doc is None:
        return None
    session = _from_doc(doc)
    lifetime = SIGNED_IN_LIFETIME if session.account_id else ANONYMOUS_LIFETIME
    if session.expires_at - now < lifetime - EXTEND_AFTER:
        session.expires_at = now + lifetime
        await store.extend_session(context.db, session.id_hash, session.expires_at)
        request[COOKIE_KEY] = ("set", raw, lifetime)
    request[SESSION_KEY] = session
    return session


async def _create(
    request: web.Request, context: Context, account_id: ObjectId | None, flashes: list[dict]
) -> WebSession:
    session_id = secrets.token_urlsafe(32)
    lifetime = SIGNED_IN_LIFETIME if account_id else ANONYMOUS_LIFETIME
    now = wall_clock()
    doc = {
        "_id": hash_session_id(session_id),
        "account_id": account_id,
        "csrf_token": secrets.token_urlsafe(32),
        "created_at": now,
        "expires_at": now + lifetime,
        "flashes": flashes,
    }
    await store.insert_session(context.db, doc)
    request[COOKIE_KEY] = ("set", session_id, lifetime)
    session = _from_doc(doc)
    request[SESSION_KEY] = session
    return session


async def ensure(request: web.Request, context: Context) -> WebSession:
    """The current session, or a new anonymous one (for a page that shows a form)."""
    return current(request) or await _create(request, context, None, [])


async def sign_in(request: web.Request, context: Context, account_id: ObjectId) -> WebSession:
    """A fresh session id for the account (never reuse the pre-sign-in id: fixation)."""
    old = current(request)
    flashes = old.flashes if old else []
    if old is not None:
        await store.delete_session(context.db, old.id_hash)
    return await _create(request, context, account_id, flashes)


async def sign_out(request: web.Request, context: Context) -> WebSession:
    """End the session; a new anonymous one carries the goodbye message."""
    old = current(request)
    if old is not None:
        await store.delete_session(context.db, old.id_hash)
    return await _create(request, context, None, [])


async def flash(request: web.Request, context: Context, kind: str, key: str, /, **params) -> None:
    """A message shown on the next page this browser renders ("Password changed")."""
    session = await ensure(request, context)
    item = {"kind": kind, "key": key, "params": params}
    session.flashes.append(item)
    await store.push_flash(context.db, session.id_hash, item)


async def pop_flashes(request: web.Request, context: Context) -> list[dict]:
    session = current(request)
    if session is None or not session.flashes:
        return []
    session.flashes = []
    return await store.pop_flashes(context.db, session.id_hash)


def apply_cookie(request: web.Request, response: web.StreamResponse, context: Context) -> None:
    """Write the session cookie decided during the request onto its response."""
    decision = request.get(COOKIE_KEY)
    if decision is None:
        return
    _, value, lifetime = decision
    response.set_cookie(
        cookie_name(context),
        value,
        max_age=int(lifetime.total_seconds()),
        path="/",
        httponly=True,
        samesite="Lax",
        secure=not context.settings.is_dev_or_test,
    )
