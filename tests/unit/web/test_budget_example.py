"""The budget example is the ledger's own rule applied to the person's month."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from registry_service.ledger.budget import Budget, month_spend
from registry_service.ledger.split import largest_remainder
from registry_service.web.budget_example import SAMPLE_FLATTRS, example, sentences
from registry_service.web.formatting import format_money
from registry_service.web.i18n import Translator


def flattrs(*weights: int) -> list[dict]:
    return [{"thing_id": f"t{i:03d}", "weight": w} for i, w in enumerate(weights)]


def words(budget: Budget, balance: int, month: list[dict], lang: str = "en") -> list[str]:
    ex = example(budget, balance, month)
    return sentences(Translator(lang), lambda c: format_money(c, lang).replace("\u00a0", " "), ex)


def test_twenty_flattrs_on_two_euros_get_ten_cents_each():
    text = words(Budget(200), 10_000, flattrs(*[1] * 20))
    assert text[0] == "With your 20 flattrs this month, each gets 10 ct: the month spends €2.00."


def test_no_flattr_yet_shows_a_sample_month():
    text = words(Budget(300), 10_000, [])
    assert text[0] == "You have not flattred anything this month yet."
    assert (
        text[1]
        == f"With {SAMPLE_FLATTRS} flattrs, each would get 15 ct (the month would spend €3.00)."
    )


def test_minimum_raises_and_cap_limits():
    assert "Your minimum of 15 ct per flattr raises the month from €2.00 to €3.00." in words(
        Budget(200, 15), 10_000, flattrs(*[1] * 20)
    )
    capped = words(Budget(200, 15, 250), 10_000, flattrs(*[1] * 20))
    assert "Your cap keeps the month at €2.50." in capped
    assert not any("raises" in s for s in capped)


def test_weights_and_a_short_balance():
    text = words(Budget(200), 150, flattrs(1, 3))
    assert text[0].startswith("With your 2 flattrs this month, weights adding up to 4")
    # 150 ct split 1:3 is 37.5 + 112.5: the tie goes to the first thing id, as at settlement.
    assert "a flattr of weight 1 gets 38 ct" in text[0]
    assert any("Your balance (€1.50) is less than €2.00" in s for s in text)


def test_french_plural_and_words():
    text = words(Budget(200), 10_000, flattrs(1), lang="fr")
    assert text[0] == "Avec votre 1 flattr de ce mois, il reçoit 2,00 € : le mois dépense 2,00 €."


@given(
    st.integers(min_value=200, max_value=100_000),
    st.one_of(st.none(), st.integers(min_value=0, max_value=500)),
    st.one_of(st.none(), st.integers(min_value=0, max_value=200_000)),
    st.integers(min_value=0, max_value=200_000),
    st.lists(st.integers(min_value=1, max_value=5), max_size=40),
)
def test_example_agrees_with_the_ledger(monthly, minimum, extra_cap, balance, weights):
    cap = None if extra_cap is None else monthly + extra_cap
    budget = Budget(monthly, minimum or None, cap)
    month = flattrs(*weights)
    ex = example(budget, balance, month)
    used = month or flattrs(*[1] * SAMPLE_FLATTRS)
    total = sum(f["weight"] for f in used)
    assert ex.spend_cents == month_spend(budget, total, balance)
    shares = largest_remainder(
        ex.spend_cents, [f["weight"] for f in used], [f["thing_id"] for f in used]
    )
    ones = [s for s, f in zip(shares, used, strict=True) if f["weight"] == 1]
    if ones:
        assert ex.least_share_cents == min(ones) and ex.most_share_cents == max(ones)
    assert sentences(Translator("fr"), lambda c: format_money(c, "fr"), ex)
