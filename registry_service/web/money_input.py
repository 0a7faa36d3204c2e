"""Reading amounts people type ("20", "20,50", "€1,234.56", "3 ct") as integer cents.

Pure and exact: the text is taken apart as digits, never through a float. The rules
people expect from both languages hold: "," and "." may both be decimal separators,
the last one written wins when both appear, and a lone separator followed by three
digits is a thousands separator unless it is this language's decimal sign ("1,234"
is 1234 in English and an error in French, where it would mean 1.234 €).
"""

from __future__ import annotations

import re

from registry_service.ledger.money import MAX_CENTS

DECIMAL_SIGN = {"en": ".", "fr": ","}
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_CURRENCY = re.compile(r"^(?:€|eur|\$|usd|£|gbp|chf)|(?:€|eur|\$|usd|£|gbp|chf)$", re.IGNORECASE)
_CENTS_SUFFIX = re.compile(r"^([0-9]{1,4})(?:ct|cts|c|cents?|centimes?)$", re.IGNORECASE)
_DIGITS = re.compile(r"^[0-9]+$")
_NUMBER = re.compile(r"^[0-9.,]*[0-9][0-9.,]*$")


class MoneyInputError(ValueError):
    """Not an amount of money; `code` names why (a message key under `money_input.`)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _groups_ok(groups: list[str]) -> bool:
    """Thousands groups: the first 1-3 digits, every following one exactly 3."""
    return 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


def parse_money(text: str, lang: str = "en") -> int:
    """The amount in `text` as integer cents; raises `MoneyInputError`."""
    raw = _SPACES.sub("", text or "")
    if raw.startswith(("-", "\u2212")):
        raise MoneyInputError("negative")
    raw = raw.removeprefix("+")
    cents_only = _CENTS_SUFFIX.match(raw)
    if cents_only:
        return int(cents_only.group(1))
    raw = _CURRENCY.sub("", raw)
    if not raw:
        raise MoneyInputError("empty")
    if not _NUMBER.match(raw):
        raise MoneyInputError("not_a_number")
    separators = [ch for ch in raw if ch in ".,"]
    whole, fraction = raw, ""
    if separators:
        last = separators[-1]
        kinds = set(separators)
        tail = raw.rsplit(last, 1)[1]
        if len(kinds) == 2:
            # "1,234.56" or "1.234,56": the last sign is the decimal one, used once.
            if separators.count(last) > 1:
                raise MoneyInputError("not_a_number")
            whole, fraction = raw.rsplit(last, 1)
        elif len(separators) > 1:
            whole = raw  # "1,234,567": grouping only
        elif len(tail) == 3 and last != DECIMAL_SIGN.get(lang, "."):
            whole = raw  # "1,234" in English, "1.234" in French
        else:
            whole, fraction = raw.rsplit(last, 1)
        grouping = [ch for ch in whole if ch in ".,"]
        if grouping:
            if len(set(grouping)) > 1 or not _groups_ok(re.split(r"[.,]", whole)):
                raise MoneyInputError("not_a_number")
            whole = re.sub(r"[.,]", "", whole)
    if not whole and fraction:
        whole = "0"  # ".50"
    if not _DIGITS.match(whole) or (fraction and not _DIGITS.match(fraction)):
        raise MoneyInputError("not_a_number")
    if len(fraction) > 2:
        raise MoneyInputError("too_many_decimals")
    cents = int(whole) * 100 + int(fraction.ljust(2, "0") or 0)
    if cents > MAX_CENTS:
        raise MoneyInputError("too_large")
    return cents


def parse_optional_money(text: str, lang: str = "en") -> int | None:
    """None for an empty field, else `parse_money`."""
    return None if not _SPACES.sub("", text or "") else parse_money(text, lang)


def input_value(cents: int | None, lang: str = "en") -> str:
    """How an amount is written back into a form field: "2.00" / "2,00", no symbol."""
    if cents is None:
        return ""
    if isinstance(cents, bool) or not isinstance(cents, int) or cents < 0:
        raise TypeError("an amount to edit is a non-negative integer number of cents")
    whole, hundredths = divmod(cents, 100)
    return f"{whole}{DECIMAL_SIGN.get(lang, '.')}{hundredths:02d}"


def cents_field(text: str) -> int | None:
    """A hidden field holding integer cents (written by our own page), or None."""
    value = (text or "").strip()
    return int(value) if _DIGITS.match(value) and len(value) <= 15 else None
