"""Months settle by themselves once over (after a grace period); clicks at midnight."""

from __future__ import annotations

import pytest

from registry_service.api.errors import ApiError
from registry_service.ledger import flattrs, settlement, store, tasks
from registry_service.ledger.reconcile import reconcile
from tests.conftest import new_account
from tests.integration.ledger.support import (
    balance_of,
    context_of,
    flattr,
    funder,
    set_clock,
    topup,
)


async def test_past_months_settle_after_the_grace_period(api):
    alice = await new_account(api)
    ctx = context_of(api)
    await topup(api, alice, 10_000)
    set_clock(api, "2026-09-20T10:00:00")
    await flattr(api, alice, "https://sept.org/")
    set_clock(api, "2026-10-20T10:00:00")
    await flattr(api, alice, "https://oct.org/")

    set_clock(api, "2026-11-01T00:02:00")  # October just ended: still in its grace period
    assert await tasks.months_to_settle(ctx) == ["2026-09"]
    set_clock(api, "2026-11-01T00:06:00")
    assert await tasks.months_to_settle(ctx) == ["2026-09", "2026-10"]
    await tasks.run_once(ctx)
    assert await tasks.months_to_settle(ctx) == []
    assert await balance_of(api, funder(alice)) == 9770 - 400
    for month in ("2026-09", "2026-10"):
        assert (await settlement.status(ctx, month))["phase"] == "done"
    assert await reconcile(ctx) == []


async def test_a_click_racing_the_months_end_lands_in_the_next_month(api):
    alice = await new_account(api)
    ctx = context_of(api)
    # Another process (its clock a little ahead) already settles October...
    await ctx.db[store.SETTLEMENTS].insert_one({"_id": "2026-10", "phase": "frozen", "rank": 2})
    set_clock(api, "2026-10-31T23:59:59")
    resp = await api.post(
        "/api/v1/flattrs", json={"url": "https://late.org/"}, headers=alice["headers"]
    )
    # ...so a click still dated October is refused rather than silently left unpaid.
    assert resp.status == 409 and (await resp.json())["error"]["code"] == "month_closed"
    assert await flattrs.month_entries(ctx, alice["id"], "2026-10") == []
    set_clock(api, "2026-11-01T00:00:01")
    body = await flattr(api, alice, "https://late.org/")
    assert body["month"] == "2026-11"


async def test_settling_the_current_or_a_bad_month_is_refused(api):
    ctx = context_of(api)
    for month, code in [
        ("2026-10", "month_not_over"),
        ("2026-11", "month_not_over"),
        ("2026-1", "invalid_month"),
    ]:
        with pytest.raises(ApiError) as refused:
            await settlement.settle(ctx, month)
        assert refused.value.code == code
