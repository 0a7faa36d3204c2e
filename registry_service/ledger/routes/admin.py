"""Administrators: settle a month, follow a settlement, flag NGO accounts."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from registry_service.accounts.ngo import set_ngo
from registry_service.api.errors import NotFound
from registry_service.api.routing import ApiCall, ApiRoutes
from registry_service.ledger import settlement
from registry_service.ledger.months import parse_month
from registry_service.ledger.routes.models import NgoBody, SettlementBody

log = logging.getLogger("omniflattr.ledger")
routes = ApiRoutes("admin")
RUNNING = "ledger.settlement_tasks"


@routes.route(
    "POST",
    "/admin/settlements",
    auth="admin",
    body=SettlementBody,
    summary="Settle a past month (in the background); answers its progress.",
    responses={202: "started or running", 200: "already done", 422: "month not over"},
)
async def start_settlement(call: ApiCall) -> web.Response:
    context, month = call.context, call.body.month
    settlement.check_past_month(context, month)
    state = await settlement.status(context, month)
    if state and state["phase"] == "done":
        return web.json_response(state)
    tasks: dict = context.services.setdefault(RUNNING, {})
    task = tasks.get(month)
    if task is None or task.done():
        tasks[month] = asyncio.create_task(_settle(context, month), name=f"settle-{month}")
        await asyncio.sleep(0)
    state = await settlement.status(context, month) or {"month": month, "phase": "starting"}
    return web.json_response(state, status=202)


async def _settle(context, month: str) -> None:
    try:
        summary = await settlement.settle(context, month)
        log.info("settled %s: %s", month, summary)
    except Exception:
        log.exception("settling %s failed; it can be run again", month)


@routes.route(
    "GET",
    "/admin/settlements/{month}",
    auth="admin",
    summary="A month's settlement: phase, progress and result.",
)
async def settlement_status(call: ApiCall) -> web.Response:
    month = call.request.match_info["month"]
    parse_month(month)
    state = await settlement.status(call.context, month)
    if state is None:
        raise NotFound("not_settled", f"{month} has not been settled yet.")
    return web.json_response(state)


@routes.route(
    "PUT",
    "/admin/accounts/{account_id}/ngo",
    auth="admin",
    body=NgoBody,
    summary="Flag an account as an NGO / non-profit (it pays no commission).",
)
async def put_ngo(call: ApiCall) -> web.Response:
    result = await set_ngo(call.context.db, call.request.match_info["account_id"], call.body.ngo)
    return web.json_response(result)
