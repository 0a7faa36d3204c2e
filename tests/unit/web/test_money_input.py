"""Amounts typed by people, read as integer cents: every shown amount reads back exactly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry_service.ledger.money import MAX_CENTS
from registry_service.web.formatting import format_money, format_percent
from registry_service.web.money_input import (
    MoneyInputError,
    input_value,
    parse_money,
    parse_optional_money,
)


@pytest.mark.parametrize(
    ("text", "lang", "cents"),
    [
        ("20", "en", 2000),
        ("20.5", "en", 2050),
        ("20,50", "fr", 2050),
        ("20.50", "fr", 2050),  # people type a point in French too
        ("20,50", "en", 2050),  # and a comma in English
        (" € 20 ", "en", 2000),
        ("20 €", "fr", 2000),
        ("EUR 3.10", "en", 310),
        ("1,234.56", "en", 123456),
        ("1.234,56", "fr", 123456),
        ("1 234,56", "fr", 123456),
        ("1\u202f234,56\u00a0€", "fr", 123456),
        ("1,234", "en", 123400),  # a thousands separator in English
        ("1.234", "fr", 123400),  # and in French
        ("1,234,567", "en", 123456700),
        ("0.03", "en", 3),
        (".5", "en", 50),
        ("3 ct", "en", 3),
        ("3ct", "fr", 3),
        ("12 cents", "en", 12),
        ("+7", "en", 700),
    ],
)
def test_reads_what_people_type(text, lang, cents):
    assert parse_money(text, lang) == cents


@pytest.mark.parametrize(
    ("text", "lang", "code"),
    [
        ("", "en", "empty"),
        ("€", "en", "empty"),
        ("abc", "en", "not_a_number"),
        ("1e3", "en", "not_a_number"),
        ("-5", "en", "negative"),
        ("\u22125", "fr", "negative"),
        ("1.234", "en", "too_many_decimals"),  # a decimal point in English
        ("1,234", "fr", "too_many_decimals"),  # a decimal comma in French
        ("1.2.3", "en", "not_a_number"),
        ("12,34,5", "en", "not_a_number"),
        ("1,234.5.6", "en", "not_a_number"),
        ("1234,567.89", "en", "not_a_number"),
        ("0x10", "en", "not_a_number"),
        ("½", "en", "not_a_number"),
        ("٣", "en", "not_a_number"),  # digits of other scripts are not read as money
        ("9" * 40, "en", "too_large"),
    ],
)
def test_refuses_what_is_not_an_amount(text, lang, code):
    with pytest.raises(MoneyInputError) as caught:
        parse_money(text, lang)
    assert caught.value.code == code


@given(st.integers(min_value=0, max_value=MAX_CENTS), st.sampled_from(["en", "fr"]))
def test_every_amount_shown_reads_back_to_the_cent(cents, lang):
    assert parse_money(format_money(cents, lang), lang) == cents
    assert parse_money(format_money(cents, lang, subunit=False), lang) == cents
    assert parse_money(input_value(cents, lang), lang) == cents


@given(st.text(max_size=30), st.sampled_from(["en", "fr"]))
def test_any_text_is_an_amount_or_a_named_refusal(text, lang):
    try:
        cents = parse_money(text, lang)
    except MoneyInputError as error:
        assert error.code in {"empty", "negative", "not_a_number", "too_many_decimals", "too_large"}
    else:
        assert type(cents) is int and 0 <= cents <= MAX_CENTS


def test_optional_fields_and_edit_values():
    assert parse_optional_money("  ", "en") is None
    assert parse_optional_money("2", "en") == 200
    assert input_value(None) == ""
    assert input_value(5, "fr") == "0,05" and input_value(123456, "en") == "1234.56"
    with pytest.raises(TypeError):
        input_value(1.5)  # type: ignore[arg-type]


def test_percentages_from_basis_points():
    assert format_percent(200, "en") == "2\u00a0%"
    assert format_percent(30, "fr") == "0,3\u00a0%"
    assert format_percent(340, "en") == "3.4\u00a0%"
    assert format_percent(1005, "en") == "10.05\u00a0%"
