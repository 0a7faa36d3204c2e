"""Gifts: a one-off amount from the balance to a page's creator or to a key, shown first."""

from __future__ import annotations

from aiohttp import web

from registry_service.api.errors import ApiError, TooManyRequests, Unprocessable
from registry_service.claims.keys import KeyRuleError, parse_claim_key
from registry_service.claims.ownership import owners_of
from registry_service.ledger import accounts as acct
from registry_service.ledger import funding, gifts
from registry_service.ledger.months import add_months
from registry_service.web import store
from registry_service.web.money_input import (
    MoneyInputError,
    cents_field,
    input_value,
    parse_money,
)
from registry_service.web.money_views import escrow_lots, where_money_went
from registry_service.web.problems import Problem, money_problem
from registry_service.web.routing import Page, WebRoutes
from registry_service.web.targets import classify

routes = WebRoutes()

HISTORY_MONTHS = 24


async def giftable_key(page: Page, key: str) -> str:
    """A key someone can own: an existing account here, or a key a creator could claim."""
    if key.startswith("omniflattr:"):
        handle = key.split(":", 1)[1]
        if await store.account_by_handle(page.context.db, handle) is None:
            raise Unprocessable("unknown_creator", f"There is no creator @{handle} here.")
        return key
    try:
        return parse_claim_key(key).key
    except KeyRuleError as error:
        raise Unprocessable(error.code, error.message) from None


async def _recipient(page: Page, raw: str) -> dict:
    """Who a gift to `raw` (an address or a key) would reach now: keys and their state."""
    target = classify(raw)
    if target.kind == "invalid":
        raise Unprocessable("url_or_key", "Give the address of a page or a creator key.")
    if target.kind == "key":
        keys: tuple[str, ...] = (await giftable_key(page, target.value),)
        given = {"key": keys[0]}
    else:
        keys, given = await gifts.keys_for(page.context, target.value, None)
    owners = await owners_of(page.context.db, keys)
    return {
        "given": given,
        "keys": [
            {
                "key": key,
                "claimed": key in owners and not owners[key].declined,
                "declined": key in owners and owners[key].declined,
            }
            for key in keys
        ],
    }


async def _past_gifts(page: Page) -> list[dict]:
    funder = str(page.account_id)
    since = add_months(page.context.clock.month(), -HISTORY_MONTHS)
    moves = await store.movements_of(page.context.db, acct.funder_account(funder), since)
    gifts = [m for m in moves if m.get("kind") == "gift"]
    exits = await store.lot_exits(page.context.db, escrow_lots(gifts))
    account = acct.funder_account(funder)
    return [
        {
            "at": txn["at"],
            "url": txn.get("url"),
            "destinations": where_money_went([txn], funder, exits),
            "cents": -sum(p["cents"] for p in txn["postings"] if p["account"] == account),
        }
        for txn in sorted(gifts, key=lambda t: t["at"], reverse=True)
    ]


async def _render(
    page: Page,
    *,
    to: str = "",
    amount: str = "",
    preview: dict | None = None,
    errors: dict | None = None,
    status: int = 200,
) -> web.StreamResponse:
    return await page.render(
        "gifts.html",
        status=status,
        page_title=page.t("gifts.title"),
        section="gifts",
        balance_cents=await funding.funders_balance(page.context, str(page.account_id)),
        to=to,
        amount=amount,
        preview=preview,
        errors=errors or {},
        past=await _past_gifts(page),
        escrow_months=page.context.settings.escrow_months,
    )


def _amount(page: Page, raw: str, errors: dict) -> int | None:
    try:
        cents = parse_money(raw, page.t.lang)
    except MoneyInputError as error:
        errors["amount"] = money_problem(page.t, error)
        return None
    if cents <= 0:
        errors["amount"] = Problem(page.t("money_input.zero"))
        return None
    return cents


@routes.get("/account/gifts", access="account", forms=True, name="gifts")
async def gift_form(page: Page) -> web.StreamResponse:
    to, amount = page.field("to"), page.field("amount")
    if not to and not amount:
        return await _render(page)
    errors: dict[str, Problem] = {}
    cents = _amount(page, amount, errors)
    recipient = None
    try:
        recipient = await _recipient(page, to)
    except TooManyRequests:
        raise
    except ApiError as error:
        errors["to"] = page.describe(error)
    if errors:
        return await _render(page, to=to, amount=amount, errors=errors, status=422)
    preview = {**recipient, "to": to, "amount_cents": cents}
    return await _render(page, to=to, amount=amount, preview=preview)


@routes.post("/account/gifts", access="account", forms=True)
async def give(page: Page) -> web.StreamResponse:
    to, raw_cents = page.field("to"), page.field("amount_cents")
    errors: dict[str, Problem] = {}
    cents = cents_field(raw_cents)
    if not cents:
        errors["amount"] = Problem(page.t("money_input.zero"))
    shown = input_value(cents, page.t.lang) if cents else ""
    try:
        recipient = await _recipient(page, to)
    except TooManyRequests:
        raise
    except ApiError as error:
        errors["to"] = page.describe(error)
    if errors:
        return await _render(page, to=to, amount=shown, errors=errors, status=422)
    given = recipient["given"]
    try:
        result = await gifts.give(
            page.context,
            str(page.account_id),
            url=given.get("url"),
            key=given.get("key"),
            amount_cents=cents,
        )
    except TooManyRequests:
        raise
    except ApiError as error:
        errors["amount"] = page.describe(error)
        return await _render(page, to=to, amount=shown, errors=errors, status=error.status)
    await page.flash(
        "success",
        "flash.gift_sent",
        amount=page.money(result["amount_cents"]),
        keys=", ".join(dict.fromkeys(k["key"] for k in result["keys"])),
    )
    return page.redirect("/account/gifts")
