from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from registry_service.claims.rules import (
    LAPSE_FAILURES,
    LAPSE_SPAN,
    CheckState,
    after_check,
    earliest_lapse,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def run(results, gaps_days, recheck_days=7):
    """Apply a sequence of checks; return the index of the check that lapsed, or None."""
    state = CheckState()
    now = T0
    for i, (ok, gap) in enumerate(zip(results, gaps_days, strict=True)):
        now += timedelta(days=gap)
        outcome = after_check(state, ok, now, recheck_days)
        state = outcome.state
        if outcome.lapse:
            return i, now
    return None


@given(
    st.lists(st.booleans(), min_size=1, max_size=20),
    st.lists(st.integers(min_value=0, max_value=20), min_size=20, max_size=20),
)
def test_lapse_needs_three_failures_in_a_row_spanning_two_weeks(results, gaps):
    gaps = gaps[: len(results)]
    lapsed = run(results, gaps)
    # An independent reading of the rule.
    times, now = [], T0
    for gap in gaps:
        now += timedelta(days=gap)
        times.append(now)
    expected = None
    streak_start = None
    streak = 0
    for i, ok in enumerate(results):
        if ok:
            streak, streak_start = 0, None
            continue
        streak += 1
        streak_start = streak_start if streak > 1 else times[i]
        if streak >= LAPSE_FAILURES and times[i] - streak_start >= LAPSE_SPAN:
            expected = (i, times[i])
            break
    assert lapsed == expected


def test_weekly_checks_lapse_at_the_third_failure():
    assert run([False, False, False], [7, 7, 7]) == (2, T0 + timedelta(days=21))
    assert run([False, False, True, False, False], [7, 7, 7, 7, 7]) is None


def test_daily_checks_wait_for_two_weeks():
    lapsed = run([False] * 20, [1] * 20, recheck_days=1)
    assert lapsed == (14, T0 + timedelta(days=15))


@given(st.integers(min_value=1, max_value=30))
def test_earliest_lapse_matches_the_schedule(recheck_days):
    state = CheckState(1, T0)
    predicted = earliest_lapse(state, recheck_days)
    lapsed = run([False] * 40, [0] + [recheck_days] * 39, recheck_days)
    assert lapsed is not None and lapsed[1] == predicted


def test_a_good_check_clears_the_state():
    outcome = after_check(CheckState(2, T0), True, T0 + timedelta(days=9), 7)
    assert outcome.state == CheckState() and not outcome.lapse
    assert outcome.next_check_at == T0 + timedelta(days=16)
