import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry_service.config import DEFAULT_FEES, FeeRule
from registry_service.ledger.money import commission, funding_fee, percent_of, quote


def test_seed_fees():
    assert funding_fee(10_000, DEFAULT_FEES["card"]) == 230  # 30 ct + 2 %
    assert funding_fee(10_000, DEFAULT_FEES["bank"]) == 60  # 30 ct + 0.3 %
    assert funding_fee(10_000, DEFAULT_FEES["paypal"]) == 375  # 35 ct + 3.4 %


def test_fees_round_half_up():
    assert percent_of(25, 200) == 1  # 0.5 ct rounds up
    assert percent_of(24, 200) == 0  # 0.48 ct rounds down
    assert percent_of(75, 200) == 2  # 1.5 ct rounds up
    assert funding_fee(125, FeeRule(30, 200)) == 33  # 30 + 2.5 -> 33


def test_commission_and_ngo():
    assert commission(10, 1000, ngo=False) == 1
    assert commission(10, 1000, ngo=True) == 0
    assert commission(5, 1000, ngo=False) == 1  # 0.5 ct rounds up


def test_quote_says_large_top_ups_waste_less():
    q = quote(10_000, "card", DEFAULT_FEES)
    assert q["fee_cents"] == 230 and q["credited_cents"] == 9770
    assert "larger top-ups waste less" in q["note"]


def test_negative_amounts_are_refused():
    with pytest.raises(ValueError):
        percent_of(-1, 100)


@given(amount=st.integers(0, 10**12), bp=st.integers(0, 10_000))
def test_percent_is_the_exact_rounded_value(amount, bp):
    from fractions import Fraction

    exact = Fraction(amount * bp, 10_000)
    result = percent_of(amount, bp)
    assert isinstance(result, int)
    assert exact - Fraction(1, 2) < result <= exact + Fraction(1, 2)
