"""Topping up (the fee shown before confirming) and the monthly budget with its example."""

from __future__ import annotations

from aiohttp import web

from registry_service.api.errors import ApiError, TooManyRequests
from registry_service.ledger import flattrs, funders, funding, subscriptions
from registry_service.ledger.budget import Budget
from registry_service.ledger.money import funding_fee
from registry_service.web.budget_example import example, sentences
from registry_service.web.money_input import (
    MoneyInputError,
    cents_field,
    input_value,
    parse_money,
    parse_optional_money,
)
from registry_service.web.problems import Problem, money_problem
from registry_service.web.routing import Page, WebRoutes

routes = WebRoutes()

BIGGER_FACTOR = 5  # the quote compares one top-up with this many small ones


def _method_name(page: Page, method: str) -> str:
    key = f"topup.methods.{method}"
    return page.t(key) if page.t.has(key) else method


def _methods(page: Page) -> list[dict]:
    return [
        {
            "id": method,
            "name": _method_name(page, method),
            "fixed_cents": rule.fixed_cents,
            "percent_bp": rule.percent_bp,
        }
        for method, rule in page.context.settings.fees.items()
    ]


def _quote(page: Page, amount_cents: int, method: str) -> dict:
    """The ledger's quote, with the comparison that shows large top-ups waste less."""
    quote = funding.checked_quote(page.context, amount_cents, method)
    rule = page.context.settings.fees[method]
    bigger = amount_cents * BIGGER_FACTOR
    return {
        **quote,
        "method_name": _method_name(page, method),
        "bigger_cents": bigger,
        "bigger_fee_cents": funding_fee(bigger, rule),
        "repeated_fee_cents": quote["fee_cents"] * BIGGER_FACTOR,
        "times": BIGGER_FACTOR,
    }


async def _render_topup(
    page: Page, *, amount: str, method: str, quote: dict | None, errors: dict, status: int = 200
) -> web.StreamResponse:
    balance = await funding.funders_balance(page.context, str(page.account_id))
    return await page.render(
        "topup.html",
        status=status,
        page_title=page.t("topup.title"),
        section="topup",
        balance_cents=balance,
        methods=_methods(page),
        amount=amount,
        method=method,
        quote=quote,
        errors=errors,
        sandbox=page.context.settings.payment_provider == "sandbox",
    )


def _quote_for(page: Page, cents: int | None, method: str) -> tuple[dict | None, dict]:
    """The quote for `cents` by `method`, or the problems with them, field by field."""
    errors: dict[str, Problem] = {}
    if method not in page.context.settings.fees:
        errors["method"] = Problem(page.t("topup.choose_method"))
    if cents is None or errors:
        return None, errors
    try:
        return _quote(page, cents, method), errors
    except ApiError as error:
        errors["amount"] = page.describe(error)
        return None, errors


@routes.get("/account/topup", access="account", forms=True, name="topup")
async def topup_form(page: Page) -> web.StreamResponse:
    amount, method = page.field("amount"), page.field("method")
    quote, errors, status = None, {}, 200
    if amount or method:
        cents = None
        try:
            cents = parse_money(amount, page.t.lang)
        except MoneyInputError as error:
            errors["amount"] = money_problem(page.t, error)
        quote, more = _quote_for(page, cents, method)
        errors.update(more)
        status = 422 if errors else 200
    return await _render_topup(
        page, amount=amount, method=method, quote=quote, errors=errors, status=status
    )


@routes.post("/account/topup", access="account", forms=True)
async def topup(page: Page) -> web.StreamResponse:
    method = page.field("method")
    raw_amount, shown_fee = page.field("amount_cents"), page.field("fee_cents")
    amount = cents_field(raw_amount) or 0
    quote, errors = _quote_for(page, amount, method)
    if quote is None:
        return await _render_topup(
            page, amount="", method=method, quote=None, errors=errors, status=422
        )
    # Only what the person saw may be charged: a changed fee is shown again first.
    if shown_fee != str(quote["fee_cents"]):
        errors["form"] = Problem(page.t("topup.fee_changed"))
        return await _render_topup(
            page,
            amount=input_value(amount, page.t.lang),
            method=method,
            quote=quote,
            errors=errors,
            status=409,
        )
    try:
        result = await funding.start(page.context, str(page.account_id), amount, method)
    except TooManyRequests:
        raise
    except ApiError as error:
        errors["form"] = page.describe(error)
        return await _render_topup(
            page, amount="", method=method, quote=quote, errors=errors, status=error.status
        )
    if result["state"] == "succeeded":
        await page.flash("success", "flash.topped_up", amount=page.money(result["credited_cents"]))
    else:
        await page.flash("info", "flash.topup_pending", amount=page.money(result["amount_cents"]))
    return page.redirect("/account/topup")


# --- the monthly budget ---------------------------------------------------------------


def _budget_from_fields(page: Page) -> tuple[Budget | None, dict[str, Problem]]:
    """The budget typed in the form, checked against the ledger's rules field by field."""
    errors: dict[str, Problem] = {}
    values: dict[str, int | None] = {}
    for name in ("monthly", "minimum", "cap"):
        try:
            parse = parse_money if name == "monthly" else parse_optional_money
            values[name] = parse(page.field(name), page.t.lang)
        except MoneyInputError as error:
            errors[name] = money_problem(page.t, error)
    if errors:
        return None, errors
    least = page.context.settings.min_budget_cents
    if values["monthly"] < least:
        errors["monthly"] = Problem(page.t("budget.too_small", min=page.money(least)))
    elif values["cap"] is not None and values["cap"] < values["monthly"]:
        errors["cap"] = Problem(page.t("budget.cap_below"))
    if errors:
        return None, errors
    return Budget(values["monthly"], values["minimum"] or None, values["cap"]), errors


async def _month_state(page: Page) -> tuple[funders.Snapshot, list[dict]]:
    funder = str(page.account_id)
    month = page.context.clock.month()
    await subscriptions.materialize_for_funder(page.context, funder, month)
    snap = await funders.snapshot(page.context, funder, fresh=True)
    return snap, await flattrs.month_entries(page.context, funder, month)


def _fields_of(page: Page, budget: Budget) -> dict[str, str]:
    lang = page.t.lang
    return {
        "monthly": input_value(budget.monthly_cents, lang),
        "minimum": input_value(budget.min_per_flattr_cents, lang),
        "cap": input_value(budget.max_monthly_cents, lang),
    }


async def _render_budget(
    page: Page, *, typed: Budget | None, fields: dict, errors: dict, status: int = 200
) -> web.StreamResponse:
    snap, month_flattrs = await _month_state(page)
    shown = typed or snap.budget
    ex = example(shown, snap.balance_cents, month_flattrs)
    return await page.render(
        "budget.html",
        status=status,
        page_title=page.t("budget.title"),
        section="budget",
        budget=snap.budget,
        budget_set=snap.budget_set,
        balance_cents=snap.balance_cents,
        min_budget_cents=page.context.settings.min_budget_cents,
        fields=fields or _fields_of(page, snap.budget),
        errors=errors,
        example=sentences(page.t, page.money, ex),
        preview=typed is not None,
    )


@routes.get("/account/budget", access="account", forms=True, name="budget")
async def budget_form(page: Page) -> web.StreamResponse:
    return await _render_budget(page, typed=None, fields={}, errors={})


@routes.get("/account/budget/example", access="account")
async def budget_example(page: Page) -> web.StreamResponse:
    """The example for the values being typed (the page's script asks as people type)."""
    typed, errors = _budget_from_fields(page)
    if typed is None:
        body = {"errors": {name: str(problem) for name, problem in errors.items()}}
        return page.respond(web.json_response(body, status=422))
    snap, month_flattrs = await _month_state(page)
    ex = example(typed, snap.balance_cents, month_flattrs)
    return page.respond(
        web.json_response(
            {"sentences": sentences(page.t, page.money, ex), "spend_cents": ex.spend_cents}
        )
    )


@routes.post("/account/budget", access="account", forms=True)
async def budget_save(page: Page) -> web.StreamResponse:
    fields = {name: page.field(name) for name in ("monthly", "minimum", "cap")}
    typed, errors = _budget_from_fields(page)
    if typed is None:
        return await _render_budget(page, typed=None, fields=fields, errors=errors, status=422)
    if page.field("action") == "preview":  # the example for these values, nothing saved
        return await _render_budget(page, typed=typed, fields=fields, errors={})
    try:
        await funders.set_budget(page.context, str(page.account_id), typed)
    except ApiError as error:
        errors["monthly"] = page.describe(error)
        return await _render_budget(
            page, typed=None, fields=fields, errors=errors, status=error.status
        )
    await page.flash("success", "flash.budget_saved", amount=page.money(typed.monthly_cents))
    return page.redirect("/account/budget")
