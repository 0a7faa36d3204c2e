"""Top-ups: the fee quote, the top-up itself, the provider's signed webhook."""

from __future__ import annotations

from aiohttp import web

from registry_service.api.routing import ApiCall, ApiRoutes, read_body
from registry_service.ledger import funding
from registry_service.ledger.routes.models import FundingBody, QuoteQuery

routes = ApiRoutes("funding")


@routes.route(
    "GET",
    "/funding/quote",
    auth="public",
    query=QuoteQuery,
    summary="What a top-up costs and credits (fees are paid by the funder, shown first).",
)
async def funding_quote(call: ApiCall) -> web.Response:
    q: QuoteQuery = call.query
    return web.json_response(funding.checked_quote(call.context, q.amount_cents, q.method))


@routes.route(
    "POST",
    "/funding",
    auth="full",
    body=FundingBody,
    summary="Top up your balance (sandbox: at once; a real provider: on its signed webhook).",
    responses={201: "credited", 202: "pending at the provider", 422: "amount below the fee"},
)
async def create_funding(call: ApiCall) -> web.Response:
    body: FundingBody = call.body
    result = await funding.start(
        call.context, str(call.principal.account_id), body.amount_cents, body.method
    )
    return web.json_response(result, status=201 if result["state"] == "succeeded" else 202)


@routes.route(
    "POST",
    "/funding/webhook",
    auth="public",
    summary="A payment provider's signed event (HMAC-SHA256); replays are counted once.",
    responses={200: "received", 401: "bad or stale signature"},
)
async def funding_webhook(call: ApiCall) -> web.Response:
    body = await read_body(call.request)
    result = await funding.handle_webhook(call.context, call.request.headers, body)
    return web.json_response(result)
