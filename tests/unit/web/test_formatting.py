"""Money shown from integer cents, per language; dates and months."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry_service.web.formatting import format_date, format_money, month_label
from registry_service.web.i18n import Translator

NB, NNB = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("cents", "lang", "expected"),
    [
        (10, "en", f"10{NB}ct"),
        (10, "fr", f"10{NB}ct"),
        (0, "fr", f"0{NB}ct"),
        (200, "fr", f"2,00{NB}€"),
        (200, "en", "€2.00"),
        (123456, "fr", f"1{NNB}234,56{NB}€"),
        (123456, "en", "€1,234.56"),
        (100000000, "en", "€1,000,000.00"),
        (-250, "fr", f"\u22122,50{NB}€"),
        (-5, "en", f"\u22125{NB}ct"),
    ],
)
def test_money(cents, lang, expected):
    assert format_money(cents, lang) == expected


def test_other_currencies_and_columns():
    assert format_money(5, "en", "USD") == "$0.05"
    assert format_money(199, "en", "CHF") == f"CHF{NB}1.99"
    assert format_money(5, "fr", subunit=False) == f"0,05{NB}€"


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        format_money(1.5, "en")
    with pytest.raises(TypeError):
        format_money(True, "en")


@given(st.integers(min_value=-(10**12), max_value=10**12), st.sampled_from(["en", "fr"]))
def test_money_keeps_every_cent(cents, lang):
    text = format_money(cents, lang, subunit=False)
    digits = re.sub(r"\D", "", text)
    assert int(digits) == abs(cents)
    assert text.startswith("\u2212") == (cents < 0)


def test_dates_and_months():
    en, fr = Translator("en"), Translator("fr")
    assert format_date(date(2026, 11, 15), en) == "15 November 2026"
    assert format_date(date(2026, 11, 1), fr) == "1er novembre 2026"
    assert month_label("2026-02", fr) == "février 2026"
    assert month_label("2026-02", en, short=True) == "Feb 2026"
    assert format_date(None, en) == ""
