"""Showing money and dates to people, per language. Money is integer cents, never a float."""

from __future__ import annotations

from datetime import date, datetime

NBSP = "\u00a0"  # between a number and its unit, so they never wrap apart
NNBSP = "\u202f"  # French thousands separator
MINUS = "\u2212"

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}
# Currencies whose hundredth has a customary short name for small amounts.
SUBUNITS = {"EUR": "ct"}


def _group(digits: str, separator: str) -> str:
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return separator.join(groups)


def format_money(cents: int, lang: str, currency: str = "EUR", *, subunit: bool = True) -> str:
    """12 → "12 ct"; 200 → "€2.00" / "2,00 €"; 123456 → "€1,234.56" / "1 234,56 €".

    Amounts under one unit use the currency's subunit ("ct" for the euro) when it has one,
    unless `subunit=False` (columns of figures read better all in the same unit).
    """
    if isinstance(cents, bool) or not isinstance(cents, int):
        raise TypeError("money is an integer number of cents")
    sign = MINUS if cents < 0 else ""
    whole, hundredths = divmod(abs(cents), 100)
    unit = SUBUNITS.get(currency)
    if subunit and unit and whole == 0:
        return f"{sign}{hundredths}{NBSP}{unit}"
    symbol = SYMBOLS.get(currency, currency)
    if lang == "fr":
        number = f"{_group(str(whole), NNBSP)},{hundredths:02d}"
        return f"{sign}{number}{NBSP}{symbol}"
    number = f"{_group(str(whole), ',')}.{hundredths:02d}"
    if len(symbol) > 1:  # a code, not a sign: "CHF 2.00"
        return f"{sign}{symbol}{NBSP}{number}"
    return f"{sign}{symbol}{number}"


def month_label(month: str, t, *, short: bool = False) -> str:
    """'2026-11' → 'November 2026' / 'novembre 2026' (or 'Nov 2026' when short)."""
    year, _, number = month.partition("-")
    name = t(f"months.{'short' if short else 'long'}.{int(number)}")
    return f"{name} {year}"


def format_date(value: date | datetime | str | None, t) -> str:
    """'15 November 2026' in both languages (day, month name, year); ISO text is read too."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    day = "1er" if value.day == 1 and t.lang == "fr" else str(value.day)
    return f"{day} {t(f'months.long.{value.month}')} {value.year}"


def format_percent(basis_points: int, lang: str) -> str:
    """200 -> "2 %", 30 -> "0.3 %" / "0,3 %" (basis points, exact, no float)."""
    whole, rest = divmod(int(basis_points), 100)
    decimals = f"{rest:02d}".rstrip("0")
    sign = "," if lang == "fr" else "."
    number = f"{whole}{sign}{decimals}" if decimals else str(whole)
    return f"{number}{NBSP}%"
