"""The caller's own money: account summary, budget, month's flattrs, statements."""

from __future__ import annotations

from aiohttp import web

from registry_service.api.errors import NotFound
from registry_service.api.routing import ApiCall, ApiRoutes
from registry_service.ledger import accounts as acct
from registry_service.ledger import clicks, flattrs, funders, journal, statements
from registry_service.ledger.budget import Budget
from registry_service.ledger.months import parse_month
from registry_service.ledger.projection import project
from registry_service.ledger.routes.models import BudgetBody, MonthFlattrsQuery, StatementQuery

routes = ApiRoutes("me")


@routes.route("GET", "/me", auth="extension", summary="Your account, balances, budget and month.")
async def me(call: ApiCall) -> web.Response:
    context, principal = call.context, call.principal
    funder = str(principal.account_id)
    account = await context.db.accounts.find_one({"_id": principal.account_id}) or {}
    snap = await funders.snapshot(context, funder, fresh=True)
    month = context.clock.month()
    entries = await flattrs.month_entries(context, funder, month)
    projected = project(snap.budget, snap.balance_cents, entries)
    held = await journal.balances(
        context.db, [acct.funder_account(funder), acct.creator_account(funder)]
    )
    return web.json_response(
        {
            "id": funder,
            "email": principal.email,
            "display_name": principal.display_name,
            "handle": account.get("handle"),
            "ngo": bool(account.get("ngo")),
            "currency": context.settings.currency,
            "balance_cents": held[acct.funder_account(funder)],
            "creator_balance_cents": held[acct.creator_account(funder)],
            "budget": snap.budget.to_json() | {"is_default": not snap.budget_set},
            "month": {
                "month": month,
                "flattrs": projected.flattrs,
                "weights": projected.weight_sum,
                "projected_spend_cents": projected.spend_cents,
                "projected_per_flattr_cents": projected.per_flattr_cents,
            },
        }
    )


@routes.route(
    "PUT",
    "/me/budget",
    auth="full",
    body=BudgetBody,
    summary="Set your monthly budget, minimum per flattr and monthly maximum.",
    responses={200: "saved", 422: "under the minimum or maximum below the budget"},
)
async def put_budget(call: ApiCall) -> web.Response:
    body: BudgetBody = call.body
    budget = await funders.set_budget(
        call.context,
        str(call.principal.account_id),
        Budget(body.monthly_cents, body.min_per_flattr_cents, body.max_monthly_cents),
    )
    return web.json_response({"budget": budget.to_json()})


@routes.route(
    "GET",
    "/me/flattrs",
    auth="extension",
    query=MonthFlattrsQuery,
    summary="Your flattrs of a month (default: this one) with keys and projected shares.",
)
async def my_flattrs(call: ApiCall) -> web.Response:
    q: MonthFlattrsQuery = call.query
    month = q.month or call.context.clock.month()
    result = await clicks.list_month(call.context, str(call.principal.account_id), month, q.url)
    return web.json_response(result)


@routes.route(
    "GET",
    "/me/statements/{month}.csv",
    auth="extension",
    query=StatementQuery,
    summary="Your month as CSV: as=funder (what you gave) or as=creator (what you received).",
)
async def statement(call: ApiCall) -> web.Response:
    month = call.request.match_info["month"]
    parse_month(month)
    who = str(call.principal.account_id)
    if call.query.as_ == "creator":
        text = await statements.creator_statement(call.context, who, month)
    else:
        text = await statements.funder_statement(call.context, who, month)
    if not text:
        raise NotFound("no_statement", "Nothing to show.")
    return web.Response(
        text=text,
        content_type="text/csv",
        charset="utf-8",
        headers={
            "Content-Disposition": (
                f'attachment; filename="omniflattr-{call.query.as_}-{month}.csv"'
            )
        },
    )
