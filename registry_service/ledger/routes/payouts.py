"""Payouts: creators withdraw their balance."""

from __future__ import annotations

from aiohttp import web

from registry_service.api.routing import ApiCall, ApiRoutes
from registry_service.ledger import payouts
from registry_service.ledger.routes.models import PayoutBody

routes = ApiRoutes("payouts")


@routes.route(
    "POST",
    "/payouts",
    auth="full",
    body=PayoutBody,
    summary="Withdraw from your creator balance through the payment provider.",
    responses={201: "paid or pending", 422: "above your balance"},
)
async def create_payout(call: ApiCall) -> web.Response:
    result = await payouts.request(
        call.context, str(call.principal.account_id), call.body.amount_cents
    )
    return web.json_response(result, status=201)


@routes.route("GET", "/payouts", auth="full", summary="Your payouts, newest first.")
async def list_payouts(call: ApiCall) -> web.Response:
    items = await payouts.list_for(call.context, str(call.principal.account_id))
    return web.json_response({"payouts": items})
