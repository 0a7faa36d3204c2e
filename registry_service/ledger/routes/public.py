"""Public views: escrow waiting for keys, and flattr buttons."""

from __future__ import annotations

from aiohttp import web

from registry_service.api.errors import BadRequest, NotFound
from registry_service.api.ratelimit import RateLimit
from registry_service.api.routing import ApiCall, ApiRoutes
from registry_service.ledger import badge, escrow_views, things
from registry_service.ledger.routes.models import BadgeQuery, EscrowKeysQuery, EscrowQuery
from registry_service.resolve.keys import normalize_key

routes = ApiRoutes("escrow")


@routes.route(
    "GET",
    "/escrow",
    auth="public",
    query=EscrowQuery,
    rate=RateLimit(120, 60),
    summary="Money waiting in escrow for a key: total, supporters, oldest lot, expiry.",
)
async def escrow_for_key(call: ApiCall) -> web.Response:
    key = normalize_key(call.query.key)  # domain:Example.ORG is domain:example.org
    if key is None:
        raise BadRequest("invalid_key", f"{call.query.key!r} is not a creator key.")
    return web.json_response(await escrow_views.key_summary(call.context, key))


@routes.route(
    "GET",
    "/escrow/keys",
    auth="public",
    query=EscrowKeysQuery,
    rate=RateLimit(60, 60),
    summary="Keys with money waiting and since when (cursor: ?after=<last key>).",
)
async def escrow_keys(call: ApiCall) -> web.Response:
    q: EscrowKeysQuery = call.query
    return web.json_response(
        await escrow_views.keys_page(call.context, after=q.after, limit=q.limit)
    )


def _svg(count: int, title: str) -> web.Response:
    return web.Response(
        text=badge.render(count, title),
        content_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=300"},
    )


@routes.route(
    "GET",
    "/things/{thing_id}/badge.svg",
    auth="public",
    summary="The flattr button of a thing, with its flattr count.",
)
async def thing_badge(call: ApiCall) -> web.Response:
    thing = await things.find_thing(call.context, call.request.match_info["thing_id"])
    if thing is None:
        raise NotFound("thing_not_found", "Nobody flattred this thing yet.")
    count = await things.flattr_count(call.context, thing["_id"])
    return _svg(count, f"Flattr {thing['normalized']}: {count} flattrs")


@routes.route(
    "GET",
    "/things/badge.svg",
    auth="public",
    query=BadgeQuery,
    summary="The flattr button for any URL, with its flattr count (0 when never flattred).",
)
async def url_badge(call: ApiCall) -> web.Response:
    thing_id, normalized = await things.thing_for_url(call.context, call.query.url)
    count = await things.flattr_count(call.context, thing_id)
    return _svg(count, f"Flattr {normalized}: {count} flattrs")
