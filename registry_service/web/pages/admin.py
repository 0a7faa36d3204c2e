"""The administrators' page: settle a past month and follow it, reconcile the books, decide
NGO requests. Every route is `access="admin"`; every action is a CSRF-checked POST."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from bson import ObjectId
from bson.errors import InvalidId

from registry_service.accounts.ngo import set_ngo
from registry_service.api.errors import ApiError, NotFound
from registry_service.ledger import reconcile, settlement
from registry_service.ledger.months import add_months, is_month
from registry_service.ledger.routes.admin import RUNNING
from registry_service.web import store
from registry_service.web.problems import Problem
from registry_service.web.routing import Page, WebRoutes

log = logging.getLogger("omniflattr.web.admin")
routes = WebRoutes()

SUMMARY_FIELDS = (
    "funders",
    "spent_cents",
    "to_creators_cents",
    "to_escrow_cents",
    "commission_cents",
    "charity_cents",
)
SWEEP_FIELDS = ("expired_keys", "expired_cents", "released_cents", "refunded_cents")
MAX_PROBLEMS_SHOWN = 200


async def _settle(context, month: str) -> None:
    try:
        await settlement.settle(context, month)
    except Exception:
        log.exception("settling %s failed; it can be run again", month)


def start_settlement(context, month: str) -> None:
    """Settle `month` in the background, unless this process is settling it already.

    The tasks live where the ledger's API keeps its own, so both share them and the
    ledger cancels them when the service stops.
    """
    tasks: dict = context.services.setdefault(RUNNING, {})
    task = tasks.get(month)
    if task is None or task.done():
        tasks[month] = asyncio.create_task(_settle(context, month), name=f"settle-{month}")


async def _render(
    page: Page, *, month: str = "", errors: dict | None = None, status: int = 200
) -> web.StreamResponse:
    db = page.context.db
    pending = await store.ngo_requests(db, "pending")
    accounts = await store.accounts_by_ids(db, [r["account_id"] for r in pending])
    last = await store.report(db, "reconcile")
    return await page.render(
        "admin.html",
        status=status,
        page_title=page.t("admin.title"),
        settlements=await store.settlements(db),
        selected_month=month or add_months(page.context.clock.month(), -1),
        ngo_requests=[{**r, "account": accounts.get(r["account_id"], {})} for r in pending],
        report=last,
        errors=errors or {},
    )


@routes.get("/admin", access="admin", forms=True, name="admin")
async def admin_home(page: Page) -> web.StreamResponse:
    return await _render(page)


@routes.post("/admin/settlements", access="admin", forms=True)
async def settle_month(page: Page) -> web.StreamResponse:
    month = page.field("month")
    try:
        settlement.check_past_month(page.context, month)
    except ApiError as error:
        return await _render(
            page, month=month, errors={"month": page.describe(error)}, status=error.status
        )
    start_settlement(page.context, month)
    await asyncio.sleep(0)  # let it record its start before the progress page reads it
    return page.redirect(f"/admin/settlements/{month}")


@routes.get("/admin/settlements/{month}", access="admin", forms=True, name="admin_settlement")
async def settlement_page(page: Page) -> web.StreamResponse:
    month = page.request.match_info["month"]
    if not is_month(month):
        raise NotFound("not_found", f"{month!r} is not a month like 2026-11.")
    state = await settlement.status(page.context, month)
    running = page.context.services.get(RUNNING, {}).get(month)
    busy_here = running is not None and not running.done()
    # Another process (or `omniflattr settle`) may be settling it: follow the phase.
    in_progress = busy_here if state is None else state["phase"] != "done"
    summary = (state or {}).get("summary") or {}
    return await page.render(
        "admin_settlement.html",
        page_title=page.t("admin.settlement_title", month=month),
        selected_month=month,
        state=state,
        in_progress=in_progress,
        can_resume=state is not None and state["phase"] != "done" and not busy_here,
        summary=[(name, summary[name]) for name in SUMMARY_FIELDS if name in summary],
        sweep=[
            (name, (summary.get("escrow_sweep") or {})[name])
            for name in SWEEP_FIELDS
            if name in (summary.get("escrow_sweep") or {})
        ],
    )


@routes.post("/admin/reconcile", access="admin", forms=True)
async def run_reconcile(page: Page) -> web.StreamResponse:
    problems = await reconcile.reconcile(page.context)
    await store.save_report(
        page.context.db,
        "reconcile",
        {
            "at": page.context.clock.now(),
            "ok": not problems,
            "count": len(problems),
            "problems": problems[:MAX_PROBLEMS_SHOWN],
            "by": page.account_id,
        },
    )
    await page.flash(
        "success" if not problems else "error",
        "flash.reconciled_ok" if not problems else "flash.reconciled_problems",
        count=len(problems),
    )
    return page.redirect("/admin#reconcile")


def _request_id(raw: str) -> ObjectId:
    try:
        return ObjectId(raw)
    except (InvalidId, TypeError):
        raise NotFound("ngo_request_not_found", "There is no such NGO request.") from None


@routes.post("/admin/ngo/{request_id}/{decision}", access="admin", forms=True)
async def decide_ngo(page: Page) -> web.StreamResponse:
    decision = page.request.match_info["decision"]
    if decision not in ("approve", "refuse"):
        raise NotFound("not_found", "Approve or refuse.")
    request_id = _request_id(page.request.match_info["request_id"])
    state = "approved" if decision == "approve" else "refused"
    before = await store.decide_ngo_request(
        page.context.db, request_id, state, page.account_id, page.context.clock.now()
    )
    if before is None:
        return await _render(
            page, errors={"ngo": Problem(page.t("admin.ngo_decided_already"))}, status=409
        )
    if state == "approved":
        await set_ngo(page.context.db, before["account_id"], True)
    await page.flash("success", f"flash.ngo_{state}", organisation=before["organisation"])
    return page.redirect("/admin#ngo")
