"""Past months: what a funder gave month by month, where each month's money went (a chart
and its table), and the CSV statements of a month (as a funder and as a creator)."""

from __future__ import annotations

from aiohttp import web

from registry_service.api.errors import BadRequest, NotFound
from registry_service.ledger import accounts as acct
from registry_service.ledger import clicks, statements
from registry_service.ledger.months import add_months, is_month
from registry_service.web import store
from registry_service.web.charts import chart_months, monthly_bars, share_bars
from registry_service.web.formatting import month_label
from registry_service.web.money_views import escrow_lots, funder_months, where_money_went
from registry_service.web.routing import Page, WebRoutes

routes = WebRoutes()

OVERVIEW_MONTHS = 12


def checked_month(raw: str) -> str:
    if not is_month(raw):
        raise NotFound("not_found", f"{raw!r} is not a month like 2026-11.")
    return raw


async def _funder_moves(page: Page, months: int) -> list[dict]:
    since = add_months(page.context.clock.month(), -months)
    account = acct.funder_account(str(page.account_id))
    return await store.movements_of(page.context.db, account, since)


@routes.get("/account/months", access="account", name="months")
async def months(page: Page) -> web.StreamResponse:
    funder = str(page.account_id)
    rows = funder_months(await _funder_moves(page, OVERVIEW_MONTHS), funder)
    current = page.context.clock.month()
    by_month = {row.month: row for row in rows}
    last = chart_months(
        current, [m for m, row in by_month.items() if row.given_cents], span=OVERVIEW_MONTHS
    )
    points = [
        (month_label(m, page.t, short=True), by_month[m].given_cents if m in by_month else 0)
        for m in last
    ]
    chart = monthly_bars(
        points,
        chart_id="given-by-month",
        title=page.t("months.chart_title"),
        desc=page.t("months.chart_desc"),
        fmt=page.money,
    )
    return await page.render(
        "months.html",
        page_title=page.t("months.title"),
        section="months",
        rows=list(reversed(rows)),
        chart=chart,
        chart_rows=[(label, page.money(cents)) for label, cents in points],
        current=current,
    )


@routes.get("/account/months/{month}", access="account", name="month")
async def month_detail(page: Page) -> web.StreamResponse:
    month = checked_month(page.request.match_info["month"])
    funder = str(page.account_id)
    moves = await statements.movements_in_month(page.context, acct.funder_account(funder), month)
    exits = await store.lot_exits(page.context.db, escrow_lots(moves))
    destinations = where_money_went(moves, funder, exits)
    items = [
        (f"{d.key or page.t('months.to.charity')} · {page.t('months.to.' + d.to)}", d.cents)
        for d in destinations
    ]
    chart = (
        share_bars(
            items,
            chart_id=f"where-{month}",
            title=page.t("months.where_title", month=month_label(month, page.t)),
            desc=page.t("months.where_desc"),
            fmt=page.money,
        )
        if items
        else None
    )
    listing = await clicks.list_month(page.context, funder, month)
    return await page.render(
        "month.html",
        page_title=month_label(month, page.t),
        section="months",
        selected_month=month,
        destinations=destinations,
        total_cents=sum(d.cents for d in destinations),
        chart=chart,
        chart_rows=[(label, page.money(cents)) for label, cents in items],
        listing=listing,
    )


@routes.get("/account/statements/{month}.csv", access="account", name="statement")
async def statement(page: Page) -> web.StreamResponse:
    month = checked_month(page.request.match_info["month"])
    who = str(page.account_id)
    kind = page.field("as", "funder")
    if kind == "creator":
        text = await statements.creator_statement(page.context, who, month)
    elif kind == "funder":
        text = await statements.funder_statement(page.context, who, month)
    else:
        raise BadRequest("invalid_statement", "A statement is as=funder or as=creator.")
    return page.respond(
        web.Response(
            text=text,
            content_type="text/csv",
            charset="utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="omniflattr-{kind}-{month}.csv"',
                "Cache-Control": "no-store",
            },
        )
    )
