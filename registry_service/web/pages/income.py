"""A creator's money: income by month (chart and table), payouts, and the NGO request."""

from __future__ import annotations

from aiohttp import web
from bson import ObjectId

from registry_service.api.errors import ApiError, TooManyRequests
from registry_service.ledger import accounts as acct
from registry_service.ledger import journal, payouts
from registry_service.ledger.months import add_months
from registry_service.web import store
from registry_service.web.charts import chart_months, monthly_bars
from registry_service.web.formatting import month_label
from registry_service.web.money_input import MoneyInputError, parse_money
from registry_service.web.money_views import creator_income
from registry_service.web.problems import Problem, money_problem
from registry_service.web.routing import Page, WebRoutes

routes = WebRoutes()

CHART_MONTHS = 12
HISTORY_MONTHS = 36
NGO_FIELDS = {"organisation": 200, "website": 300, "registration": 100, "message": 2000}


async def _render_income(
    page: Page, *, amount: str = "", errors: dict | None = None, status: int = 200
) -> web.StreamResponse:
    creator = str(page.account_id)
    current = page.context.clock.month()
    account = acct.creator_account(creator)
    moves = await store.movements_of(page.context.db, account, add_months(current, -HISTORY_MONTHS))
    rows = creator_income(moves, creator)
    by_month = {row.month: row for row in rows}
    last = chart_months(
        current, [m for m, row in by_month.items() if row.net_cents], span=CHART_MONTHS
    )
    points = [
        (month_label(m, page.t, short=True), by_month[m].net_cents if m in by_month else 0)
        for m in last
    ]
    chart = monthly_bars(
        points,
        chart_id="income-by-month",
        title=page.t("income.chart_title"),
        desc=page.t("income.chart_desc"),
        fmt=page.money,
    )
    return await page.render(
        "income.html",
        status=status,
        page_title=page.t("income.title"),
        section="income",
        balance_cents=await journal.balance(page.context.db, account),
        chart=chart,
        chart_rows=[(label, page.money(cents)) for label, cents in points],
        rows=list(reversed(rows)),
        payouts=await payouts.list_for(page.context, creator),
        amount=amount,
        errors=errors or {},
        ngo=bool(page.account.get("ngo")),
        commission_bp=page.context.settings.commission_bp,
    )


@routes.get("/account/income", access="account", forms=True, name="income")
async def income(page: Page) -> web.StreamResponse:
    return await _render_income(page)


@routes.post("/account/payouts", access="account", forms=True)
async def payout(page: Page) -> web.StreamResponse:
    amount = page.field("amount")
    try:
        cents = parse_money(amount, page.t.lang)
    except MoneyInputError as error:
        return await _render_income(
            page, amount=amount, errors={"amount": money_problem(page.t, error)}, status=422
        )
    try:
        result = await payouts.request(page.context, str(page.account_id), cents)
    except TooManyRequests:
        raise
    except ApiError as error:
        return await _render_income(
            page, amount=amount, errors={"amount": page.describe(error)}, status=error.status
        )
    key = "flash.payout_paid" if result["state"] == "paid" else "flash.payout_pending"
    await page.flash("success", key, amount=page.money(result["amount_cents"]))
    return page.redirect("/account/income")


# --- NGO status -----------------------------------------------------------------------


def _clean(raw: str, limit: int) -> str:
    return "".join(ch for ch in raw if ch.isprintable() or ch == "\n")[:limit].strip()


async def _render_ngo(
    page: Page, *, values: dict | None = None, errors: dict | None = None, status: int = 200
) -> web.StreamResponse:
    requests = await store.ngo_requests_of(page.context.db, page.account_id)
    return await page.render(
        "ngo.html",
        status=status,
        page_title=page.t("ngo.title"),
        section="ngo",
        ngo=bool(page.account.get("ngo")),
        requests=requests,
        pending=any(r["state"] == "pending" for r in requests),
        values=values or {},
        errors=errors or {},
    )


@routes.get("/account/ngo", access="account", forms=True, name="ngo")
async def ngo_form(page: Page) -> web.StreamResponse:
    return await _render_ngo(page)


@routes.post("/account/ngo", access="account", forms=True)
async def ngo_request(page: Page) -> web.StreamResponse:
    values = {name: _clean(page.field(name), limit) for name, limit in NGO_FIELDS.items()}
    errors: dict[str, Problem] = {}
    if not values["organisation"]:
        errors["organisation"] = Problem(page.t("forms.required"))
    if values["website"] and not values["website"].startswith(("https://", "http://")):
        errors["website"] = Problem(page.t("ngo.website_invalid"))
    if page.account.get("ngo"):
        errors["form"] = Problem(page.t("ngo.already"))
    if errors:
        return await _render_ngo(page, values=values, errors=errors, status=422)
    stored = await store.insert_ngo_request(
        page.context.db,
        {
            "_id": ObjectId(),
            "account_id": page.account_id,
            "state": "pending",
            "created_at": page.context.clock.now(),
            **values,
        },
    )
    if not stored:
        errors["form"] = Problem(page.t("ngo.pending_already"))
        return await _render_ngo(page, values=values, errors=errors, status=409)
    await page.flash("success", "flash.ngo_requested")
    return page.redirect("/account/ngo")
