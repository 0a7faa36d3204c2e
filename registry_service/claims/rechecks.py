"""Keeping claims true: re-check verified claims on a schedule, lapse those whose proof is gone.

`recheck_due` takes due claims one at a time with a lease (a conditional update of
`next_check_at`), so several service processes and `omniflattr claims recheck` can run at
once without checking a claim twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta

from aiohttp import web
from bson import ObjectId

from registry_service.claims import history, store, transitions
from registry_service.claims.checks import run_checks
from registry_service.claims.findings import CheckResult
from registry_service.claims.keys import parse_claim_key
from registry_service.claims.metrics import CHECKS
from registry_service.claims.rules import CheckState, after_check, earliest_lapse
from registry_service.context import Context

log = logging.getLogger("omniflattr.claims")

LEASE = timedelta(minutes=10)
POLL_SECONDS = 300.0
INCONCLUSIVE_RETRY = timedelta(days=1)
CONCURRENCY = 8


@dataclass
class RecheckReport:
    checked: int = 0
    passed: int = 0
    failed: int = 0
    lapsed: list[str] = field(default_factory=list)


async def apply_check(
    context: Context, claim: dict, result: CheckResult, *, actor: ObjectId | str = history.SYSTEM
) -> dict:
    """Record one check of a verified claim; lapse it when the rule says so."""
    now = context.clock.now()
    if not result.ok and not result.proof_gone(
        claim.get("verified_method"), claim.get("verified_target")
    ):
        return await _inconclusive(context, claim, result, now, actor)
    outcome = after_check(CheckState.of(claim), result.ok, now, context.settings.recheck_days)
    changes = {
        "last_check": transitions.check_doc(result, now),
        "consecutive_failures": outcome.state.consecutive_failures,
        "failing_since": outcome.state.failing_since,
        "next_check_at": outcome.next_check_at,
    }
    if result.ok:
        changes["last_success_at"] = now
    updated = await store.update_claim(
        context.db, claim["_id"], {"$set": changes}, status="verified"
    )
    if updated is None:
        return await store.get_claim(context.db, claim["_id"]) or claim
    evidence = {"findings": result.to_docs()}
    if result.ok:
        await history.record(
            context, updated, "rechecked", actor=actor, evidence=evidence, message=result.summary()
        )
        if claim.get("consecutive_failures"):
            await history.notify(
                context, updated, "proof_restored", f"Your proof of {claim['key']} is back."
            )
        return await transitions.release_escrow_once(context, updated)
    failures = outcome.state.consecutive_failures
    await history.record(
        context,
        updated,
        "recheck_failed",
        actor=actor,
        evidence={**evidence, "consecutive_failures": failures},
        message=result.summary(),
    )
    if outcome.lapse:
        message = (
            f"Your claim of {claim['key']} lapsed: its proof was missing at {failures} checks "
            f"since {outcome.state.failing_since:%Y-%m-%d}. New money for the key goes to escrow "
            "again; publish the proof and claim the key again to get it back."
        )
        ended = await transitions.end_ownership(
            context, updated, status="lapsed", event="lapsed", message=message, evidence=evidence
        )
        if ended is not None:
            await history.notify(context, ended, "lapsed", message)
            return ended
        return updated
    lapse_at = earliest_lapse(outcome.state, context.settings.recheck_days)
    await history.notify(
        context,
        updated,
        "proof_missing",
        f"The proof of {claim['key']} is missing ({failures} failed check(s) in a row). "
        f"Put it back: the claim lapses after 3 failed checks spanning 14 days, at the "
        f"earliest on {lapse_at:%Y-%m-%d}. {result.summary()}",
    )
    return updated


async def _inconclusive(
    context: Context, claim: dict, result: CheckResult, now, actor: ObjectId | str
) -> dict:
    """The proof could not be looked at (the site or DNS did not answer): an outage is not a
    missing proof, so it does not count towards a lapse; the claim is checked again soon."""
    changes = {
        "last_check": transitions.check_doc(result, now),
        "next_check_at": now + INCONCLUSIVE_RETRY,
    }
    updated = await store.update_claim(
        context.db, claim["_id"], {"$set": changes}, status="verified"
    )
    if updated is None:
        return await store.get_claim(context.db, claim["_id"]) or claim
    await history.record(
        context,
        updated,
        "recheck_inconclusive",
        actor=actor,
        evidence={"findings": result.to_docs()},
        message="The proof could not be checked (not counted): " + result.summary(),
    )
    return updated


async def recheck_claim(context: Context, claim: dict) -> dict:
    key = parse_claim_key(claim["key"])
    account = await context.db.accounts.find_one({"_id": claim["account_id"]}, {"handle": 1})
    result = await run_checks(
        context,
        key,
        claim["token"],
        account_id=claim["account_id"],
        handle=(account or {}).get("handle"),
        proof_url=claim.get("proof_url"),
    )
    CHECKS.labels("recheck", "ok" if result.ok else "failed").inc()
    return await apply_check(context, claim, result)


async def recheck_due(
    context: Context, *, limit: int | None = None, concurrency: int = CONCURRENCY
) -> RecheckReport:
    """Re-check every verified claim whose check is due now (by the context's clock).

    `concurrency` workers each lease one due claim at a time: checks wait mostly on
    other people's servers, so several run at once (measured in bench/claims)."""
    report = RecheckReport()
    budget = [limit]

    def take_one() -> bool:
        if budget[0] is None:
            return True
        if budget[0] <= 0:
            return False
        budget[0] -= 1
        return True

    async def worker() -> None:
        while take_one():
            now = context.clock.now()
            claim = await store.lease_due_claim(context.db, now, now + LEASE)
            if claim is None:
                return
            try:
                updated = await recheck_claim(context, claim)
            except Exception:
                log.exception("re-checking claim %s failed", claim["_id"])
                continue
            report.checked += 1
            if updated.get("status") == "lapsed":
                report.lapsed.append(claim["key"])
            if (updated.get("last_check") or {}).get("ok"):
                report.passed += 1
            else:
                report.failed += 1

    await asyncio.gather(*(worker() for _ in range(max(1, concurrency))))
    return report


async def recheck_loop(context: Context, poll_seconds: float = POLL_SECONDS) -> None:
    while True:
        await asyncio.sleep(poll_seconds * random.uniform(0.8, 1.2))
        try:
            report = await recheck_due(context)
            if report.checked:
                log.info(
                    "re-checked %d claims: %d passed, %d failed, %d lapsed",
                    report.checked,
                    report.passed,
                    report.failed,
                    len(report.lapsed),
                )
        except Exception:
            log.exception("the claim re-check round failed; trying again later")


def background(app_context_key) -> callable:
    """A cleanup_ctx running the re-check loop for as long as the application runs."""

    async def run(app: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(recheck_loop(app[app_context_key]), name="claims-recheck")
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return run
