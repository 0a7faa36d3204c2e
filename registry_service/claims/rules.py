"""The rules of keeping a claim true, as pure functions over data.

A verified claim is re-checked every `recheck_days`. It lapses when its proof is missing
at `LAPSE_FAILURES` consecutive checks spanning at least `LAPSE_SPAN`; one good check
starts the count again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

LAPSE_FAILURES = 3
LAPSE_SPAN = timedelta(days=14)


@dataclass(frozen=True)
class CheckState:
    consecutive_failures: int = 0
    failing_since: datetime | None = None  # time of the first failure of the current run

    @classmethod
    def of(cls, claim: dict) -> CheckState:
        return cls(int(claim.get("consecutive_failures") or 0), claim.get("failing_since"))


@dataclass(frozen=True)
class Outcome:
    state: CheckState
    lapse: bool
    next_check_at: datetime


def next_check(now: datetime, recheck_days: int) -> datetime:
    return now + timedelta(days=recheck_days)


def after_check(state: CheckState, ok: bool, now: datetime, recheck_days: int) -> Outcome:
    """The state after one check of a verified claim, and whether it lapses now."""
    if ok:
        return Outcome(CheckState(), False, next_check(now, recheck_days))
    failures = state.consecutive_failures + 1
    since = state.failing_since if state.consecutive_failures else now
    new_state = CheckState(failures, since)
    return Outcome(new_state, should_lapse(new_state, now), next_check(now, recheck_days))


def should_lapse(state: CheckState, now: datetime) -> bool:
    return (
        state.consecutive_failures >= LAPSE_FAILURES
        and state.failing_since is not None
        and now - state.failing_since >= LAPSE_SPAN
    )


def earliest_lapse(state: CheckState, recheck_days: int) -> datetime | None:
    """When the claim would lapse at the soonest if every coming check fails (for notices)."""
    if not state.consecutive_failures or state.failing_since is None:
        return None
    period = timedelta(days=recheck_days)
    checks = max(LAPSE_FAILURES - 1, -(-LAPSE_SPAN // period))  # ceil of span / period
    return state.failing_since + checks * period
