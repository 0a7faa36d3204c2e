from hypothesis import given
from hypothesis import strategies as st

from registry_service.ledger.budget import Budget, budget_problem, month_spend, target_spend


def test_without_minimum_and_cap_the_month_spends_the_budget():
    assert target_spend(Budget(200), 20) == 200


def test_minimum_per_flattr_raises_the_spend_up_to_the_cap():
    budget = Budget(200, min_per_flattr_cents=3, max_monthly_cents=500)
    assert target_spend(budget, 50) == 200  # 50 × 3 = 150 < B
    assert target_spend(budget, 100) == 300  # n·m above B
    assert target_spend(budget, 1000) == 500  # capped at C


def test_weights_count_in_n():
    assert target_spend(Budget(200, min_per_flattr_cents=10), 30) == 300


def test_balance_below_spend_is_split_and_no_flattrs_spend_nothing():
    assert month_spend(Budget(200), 20, 150) == 150
    assert month_spend(Budget(200), 0, 10_000) == 0
    assert month_spend(Budget(200), 3, 0) == 0


def test_budget_rules():
    assert "at least 200" in budget_problem(Budget(199), 200)
    assert budget_problem(Budget(200), 200) is None
    assert "must be at least the monthly budget" in budget_problem(Budget(300, None, 250), 200)


@given(
    b=st.integers(1, 10**6),
    m=st.none() | st.integers(0, 1000),
    extra=st.none() | st.integers(0, 10**6),
    n=st.integers(0, 500),
    balance=st.integers(0, 10**7),
)
def test_spend_formula(b, m, extra, n, balance):
    cap = None if extra is None else b + extra
    spend = month_spend(Budget(b, m, cap), n, balance)
    if n == 0:
        assert spend == 0
        return
    t = max(b, n * (m or 0))
    if cap is not None:
        t = min(t, cap)
    assert spend == min(t, balance)
