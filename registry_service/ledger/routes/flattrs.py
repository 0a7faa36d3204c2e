"""Flattrs, subscriptions and gifts."""

from __future__ import annotations

from aiohttp import web

from crawlers.hints import clean_hints
from registry_service.api.errors import Forbidden
from registry_service.api.routing import ApiCall, ApiRoutes
from registry_service.ledger import clicks, flattrs, gifts, resolution, subscriptions
from registry_service.ledger.gifts import EXTENSION_GIFT_MAX_CENTS
from registry_service.ledger.routes.models import FlattrBody, GiftBody, SubscriptionBody, WeightBody
from registry_service.ledger.things import ensure_thing
from registry_service.resolve import normalize_url

# Subscriptions repeat flattrs inside the monthly budget; gifts spend beyond it.

routes = ApiRoutes("flattrs")


@routes.route(
    "POST",
    "/flattrs",
    auth="extension",
    body=FlattrBody,
    summary="Flattr a page this month (once per page and month; weight 1-5).",
    responses={201: "flattred", 200: "already flattred this month", 422: "the key declined"},
)
async def create_flattr(call: ApiCall) -> web.Response:
    body: FlattrBody = call.body
    hints = clean_hints(body.hints) if body.hints is not None else None
    result, created = await clicks.create(
        call.context, str(call.principal.account_id), body.url, body.weight, hints
    )
    return web.json_response(result, status=201 if created else 200)


@routes.route(
    "PATCH",
    "/flattrs/{flattr_id}",
    auth="extension",
    body=WeightBody,
    summary="Change a flattr's weight until its month is settled.",
    responses={200: "changed", 404: "not yours", 409: "month settled"},
)
async def patch_flattr(call: ApiCall) -> web.Response:
    flattr = await flattrs.change_weight(
        call.context,
        str(call.principal.account_id),
        call.request.match_info["flattr_id"],
        call.body.weight,
    )
    return web.json_response(
        {
            "id": flattr["id"],
            "url": flattr["url"],
            "month": flattr["month"],
            "weight": flattr["weight"],
        }
    )


@routes.route(
    "DELETE",
    "/flattrs/{flattr_id}",
    auth="extension",
    summary="Undo a flattr until its month is settled.",
    responses={204: "undone", 404: "not yours", 409: "month settled"},
)
async def delete_flattr(call: ApiCall) -> web.Response:
    await flattrs.undo(
        call.context, str(call.principal.account_id), call.request.match_info["flattr_id"]
    )
    return web.Response(status=204)


@routes.route(
    "POST",
    "/subscriptions",
    auth="extension",
    body=SubscriptionBody,
    summary="Flattr a page this month and repeat it automatically (3, 6 or 12 months in all).",
    responses={201: "subscribed", 409: "already subscribed", 422: "the key declined"},
)
async def create_subscription(call: ApiCall) -> web.Response:
    body: SubscriptionBody = call.body
    context = call.context
    normalized = normalize_url(body.url)
    thing_id, _ = await ensure_thing(context, normalized)
    current = await resolution.current(context, body.url, normalized, for_flattr=True)
    if current.declined:
        raise clicks.declined_error(current)
    sub, flattr = await subscriptions.create(
        context,
        str(call.principal.account_id),
        thing_id=thing_id,
        url=body.url,
        normalized=normalized,
        months=body.months,
        weight=body.weight,
    )
    month = context.clock.month()
    # As for a click: money for an unclaimed key waits in escrow, and this says until when
    # (each month's share waits from the end of that month).
    escrow = (
        None
        if current.claimed
        else {"expires_at": clicks.escrow_expiry(context, month).isoformat()}
    )
    return web.json_response(
        subscriptions.public(sub, month) | {"flattr_id": flattr["id"], "escrow": escrow},
        status=201,
    )


@routes.route("GET", "/subscriptions", auth="extension", summary="Your subscriptions.")
async def list_subscriptions(call: ApiCall) -> web.Response:
    month = call.context.clock.month()
    subs = await subscriptions.list_for(call.context, str(call.principal.account_id))
    return web.json_response({"subscriptions": [subscriptions.public(s, month) for s in subs]})


@routes.route(
    "DELETE",
    "/subscriptions/{subscription_id}",
    auth="extension",
    summary="Cancel a subscription after this month (this month's flattr stays).",
    responses={200: "cancelled", 404: "not yours"},
)
async def cancel_subscription(call: ApiCall) -> web.Response:
    sub = await subscriptions.cancel(
        call.context, str(call.principal.account_id), call.request.match_info["subscription_id"]
    )
    return web.json_response(subscriptions.public(sub, call.context.clock.month()))


@routes.route(
    "POST",
    "/gifts",
    auth="extension",
    body=GiftBody,
    summary="Give a one-off amount from your balance to a creator (by page or key); "
    f"an extension token gives at most {EXTENSION_GIFT_MAX_CENTS // 100} € at a time.",
    responses={201: "given", 403: "too large for an extension token", 422: "above your balance"},
)
async def create_gift(call: ApiCall) -> web.Response:
    body: GiftBody = call.body
    # A browser extension's token may give, but a token lifted from a browser must not be
    # able to empty the balance in one request: larger gifts need the web page or a full token.
    if call.principal.scope != "full" and body.amount_cents > EXTENSION_GIFT_MAX_CENTS:
        raise Forbidden(
            "gift_limit",
            f"From the browser extension a gift is at most {EXTENSION_GIFT_MAX_CENTS // 100} €; "
            "give more on your account's page.",
        )
    result = await gifts.give(
        call.context,
        str(call.principal.account_id),
        url=body.url,
        key=body.key,
        amount_cents=body.amount_cents,
    )
    return web.json_response(result, status=201)
