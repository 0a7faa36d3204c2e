"""`/resolve` and `/keys`: thin HTTP over the resolver."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator

from aiohttp import web
from pydantic import BaseModel, Field

from registry_service.api.errors import BadRequest
from registry_service.api.ratelimit import RateLimit
from registry_service.api.responses import json_response
from registry_service.api.routing import ApiCall, ApiRoutes
from registry_service.api.state import CONTEXT
from registry_service.claims.ownership import owner_of
from registry_service.resolve import store
from registry_service.resolve.keys import key_sha256, normalize_key
from registry_service.resolve.resolver import get_resolver
from registry_service.resolve.urls import InvalidUrl

routes = ApiRoutes("resolve")

MAX_BATCH = 100
STOP_TIMEOUT = 5.0  # seconds the change watcher may take to finish its read at shutdown
MAX_PREFIX_MATCHES = 1000
_PREFIX = re.compile(r"[0-9a-fA-F]{4}")

# Per client (its address: these routes take no token). A browsing person resolves about
# one page a few seconds; a script should use the batch route.
RESOLVE_LIMIT = RateLimit(rate=600, per=60, burst=120)
BATCH_LIMIT = RateLimit(rate=60, per=60, burst=20)
KEYS_LIMIT = RateLimit(rate=600, per=60, burst=120)


class ResolveQuery(BaseModel):
    url: str = Field(min_length=1, max_length=8192, description="the page's URL")


class ResolveBatch(BaseModel):
    urls: list[str] = Field(min_length=1, max_length=MAX_BATCH)
    crawl: bool = False


def _error_json(url: str, error: InvalidUrl) -> dict:
    return {"url": url, "error": {"code": error.code, "message": error.message}}


@routes.route(
    "GET",
    "/resolve",
    auth="public",
    query=ResolveQuery,
    rate=RESOLVE_LIMIT,
    summary="The creator key a URL pays, claimed or not (queues a crawl when useful).",
    responses={200: "resolved", 400: "not a public http(s) URL", 429: "slow down"},
)
async def resolve_url(call: ApiCall) -> web.Response:
    resolution = await get_resolver(call.context).resolve(call.query.url, crawl=True)
    return json_response(resolution.to_json())


@routes.route(
    "POST",
    "/resolve",
    auth="public",
    body=ResolveBatch,
    rate=BATCH_LIMIT,
    summary=f"Resolve up to {MAX_BATCH} URLs: one result or error per URL, in order.",
    responses={200: "results in order", 400: "bad body or too many URLs", 429: "slow down"},
)
async def resolve_batch(call: ApiCall) -> web.Response:
    urls = call.body.urls
    results = await get_resolver(call.context).resolve_many(urls, crawl=call.body.crawl)
    return json_response(
        {
            "results": [
                _error_json(url, r) if isinstance(r, InvalidUrl) else r.to_json()
                for url, r in zip(urls, results, strict=True)
            ]
        }
    )


@routes.route(
    "GET",
    "/keys/by-prefix/{prefix}",
    auth="public",
    rate=KEYS_LIMIT,
    summary="Claimed keys whose SHA-256 starts with these 4 hex digits (private lookups).",
    responses={200: "matching keys", 400: "not 4 hex digits"},
)
async def keys_by_prefix(call: ApiCall) -> web.Response:
    prefix = call.request.match_info["prefix"]
    if not _PREFIX.fullmatch(prefix):
        raise BadRequest(
            "invalid_prefix",
            "The prefix must be 4 hexadecimal digits: the first 2 bytes of the key's SHA-256.",
        )
    prefix = prefix.lower()
    db = call.context.db
    docs = await store.claimed_by_sha256_prefix(db, prefix, MAX_PREFIX_MATCHES)
    owned = {d["_id"] for d in docs}
    # Keys that stay declined with no owner count as the resolver counts them: a subdomain
    # key among them still takes its pages, which stay refused.
    standing = [
        key
        for key in await store.declined_by_sha256_prefix(db, prefix, MAX_PREFIX_MATCHES)
        if key not in owned
    ]
    return json_response(
        {
            "prefix": prefix,
            "keys": [d["_id"] for d in docs] + standing,
            "declined": [d["_id"] for d in docs if d.get("declined")] + standing,
        }
    )


@routes.route(
    "GET",
    "/keys/{key}",
    auth="public",
    rate=KEYS_LIMIT,
    summary="Whether a key is claimed, and by whom.",
    responses={200: "the key", 400: "not a key"},
)
async def key_status(call: ApiCall) -> web.Response:
    key = normalize_key(call.request.match_info["key"])
    if key is None:
        raise BadRequest("invalid_key", "A key looks like namespace:id, e.g. domain:example.org.")
    owner = await owner_of(call.context.db, key)
    creator = None
    if owner is not None and owner.claimed:
        accounts = await store.accounts_by_id(call.context.db, [owner.account_id])
        account = accounts.get(owner.account_id)
        if account:
            creator = {"handle": account.get("handle"), "display_name": account.get("display_name")}
    return json_response(
        {
            "key": key,
            "sha256": key_sha256(key),
            "claimed": bool(owner and owner.claimed),
            "declined": bool(owner and owner.declined),
            "creator": creator,
        }
    )


async def _watch_changes(app: web.Application) -> AsyncIterator[None]:
    """Keep this process's resolver cache true while the service runs."""
    stop = asyncio.Event()
    resolver = get_resolver(app[CONTEXT])
    task = asyncio.create_task(resolver.watch(stop), name="resolve-changes")
    yield
    stop.set()
    try:
        await asyncio.wait_for(asyncio.shield(task), STOP_TIMEOUT)
    except TimeoutError:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def setup(app: web.Application) -> None:
    """Add routes now; background work goes in app.cleanup_ctx and reads app[CONTEXT]."""
    routes.add_to(app)
    app.cleanup_ctx.append(_watch_changes)
