"""Gifts: a one-off amount from a funder's balance straight to a creator key."""

from __future__ import annotations

import re

from bson import ObjectId

from registry_service.api.errors import BadRequest, Unprocessable
from registry_service.claims.keys import KeyRuleError, parse_claim_key
from registry_service.context import Context
from registry_service.ledger import accounts as acct
from registry_service.ledger import funders, journal, resolution
from registry_service.ledger.clicks import declined_error
from registry_service.ledger.keystate import KeyBook
from registry_service.ledger.money import MAX_CENTS
from registry_service.ledger.months import add_months_to_time, month_of
from registry_service.ledger.plan import FlattrItem, LotInfo, key_postings, lot_fields, payable_keys
from registry_service.ledger.split import equal_split
from registry_service.resolve import normalize_url
from registry_service.resolve.keys import ACCOUNT_NAMESPACE, normalize_key

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9.+_-]{0,39}:\S{1,300}$")
# The most an extension-scoped token may give at once: a token lifted from a browser must
# not be able to empty a balance (larger gifts need the web page or a full token).
EXTENSION_GIFT_MAX_CENTS = 2000


def payable_key(raw: str) -> str:
    """A key given by hand, in its one spelling; refused when no one could ever claim it
    (money for it would wait in escrow for nobody, then go back)."""
    key = normalize_key(raw)
    if key is None:
        raise BadRequest("invalid_key", f"{raw!r} is not a creator key like domain:example.org.")
    if key.startswith(f"{ACCOUNT_NAMESPACE}:"):
        return key  # an account of this service: always its own
    try:
        return parse_claim_key(key).key
    except KeyRuleError as exc:
        raise Unprocessable(exc.code, exc.message) from None


async def keys_for(
    context: Context, url: str | None, key: str | None
) -> tuple[tuple[str, ...], dict]:
    if (url is None) == (key is None):
        raise BadRequest("url_or_key", "Give either url or key (exactly one).")
    if key is not None:
        key = payable_key(key)
        return (key,), {"key": key}
    normalized = normalize_url(url)
    current = await resolution.current(context, url, normalized, for_flattr=False)
    if current.declined:
        raise declined_error(current)
    return current.keys, {"url": url, "normalized": normalized}


async def give(
    context: Context, funder_id: str, *, url: str | None, key: str | None, amount_cents: int
) -> dict:
    if not 0 < amount_cents <= MAX_CENTS:
        raise Unprocessable("invalid_amount", "amount_cents must be a positive number of cents.")
    keys, target = await keys_for(context, url, key)
    book = KeyBook(context)
    await book.load_states(keys)
    payable = payable_keys(FlattrItem("gift", "gift", 1, keys), book.states)
    if not payable:
        raise Unprocessable(
            "key_declined", f"The creator behind {keys[0]} declined donations: no gift possible."
        )
    gift_id = str(ObjectId())
    txn_id = f"gift:{gift_id}"
    now = context.clock.now()
    month = month_of(now)
    lot = LotInfo(now, add_months_to_time(now, context.settings.escrow_months))
    account = acct.funder_account(funder_id)
    postings: list[dict] = []
    for k, cents in equal_split(amount_cents, payable).items():
        postings += key_postings(k, cents, book.states[k], context.settings.commission_bp)

    async def build(balance: int) -> dict:
        if amount_cents > balance:
            raise Unprocessable(
                "insufficient_balance",
                f"Your balance is {balance} cents; a gift of {amount_cents} is more. Top up first.",
                extra={"balance_cents": balance},
            )
        return journal.new_txn(
            txn_id,
            "gift",
            [{"account": account, "cents": -amount_cents}, *postings],
            month=month,
            at=now,
            recorded_at=now,
            funder=funder_id,
            **target,
            **lot_fields(postings, lot),
        )

    await journal.guarded_debit(context.db, account, build)
    funders.forget(context, funder_id)
    return {
        "id": gift_id,
        "amount_cents": amount_cents,
        **target,
        "keys": [
            {
                "key": p["key"],
                "cents": p["cents"],
                "to": "escrow"
                if "lot" in p
                else ("commission" if p["account"] == acct.COMMISSION else "creator"),
            }
            for p in postings
        ],
        "escrow": (
            {"expires_at": lot.expires_at.isoformat()}
            if any("lot" in p for p in postings)
            else None
        ),
        "balance_cents": await journal.balance(context.db, account),
    }
