"""Errors raised by services, told to people next to the form they came from.

A code with a message in the catalog (`errors.<code>`) is said in the person's language.
For codes whose service message names the precise reason (which key rule, which URL part),
that message is kept beside it as a detail: it is exact, only not translated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from registry_service.api.errors import ApiError
from registry_service.web.i18n import Translator
from registry_service.web.money_input import MoneyInputError

SERVICE_LANG = "en"

# Codes whose service message says more than a translation could (the exact rule broken).
DETAILED = frozenset(
    {
        "invalid_url",
        "invalid_key",
        "public_suffix",
        "claim_platform_key",
        "key_not_claimable",
        "unknown_namespace",
        "no_proof_method",
        "invalid_path_prefix",
        "invalid_host",
        "unknown_creator",
        "key_owned_by_another",
        "claim_closed",
        "already_delegated",
        "not_a_domain",
    }
)


@dataclass(frozen=True)
class Problem:
    text: str
    detail: str = ""
    detail_lang: str = SERVICE_LANG

    def __str__(self) -> str:
        return self.text


def describe(t: Translator, error: ApiError, money: Callable[[int], str] | None = None) -> Problem:
    """`error` in the person's words (with the service's exact words when they add to it)."""
    key = f"errors.{error.code}"
    if not t.has(key):
        return Problem(error.message)
    params: dict[str, object] = {"retry_after": error.headers.get("Retry-After", "60")}
    balance = error.extra.get("balance_cents")
    if money is not None and type(balance) is int:
        params["balance"] = money(balance)
    try:
        text = t(key, **params)
    except (KeyError, IndexError):  # a message wanting a figure this error does not carry
        return Problem(error.message)
    return Problem(text, error.message if error.code in DETAILED else "")


def money_problem(t: Translator, error: MoneyInputError) -> Problem:
    return Problem(t(f"money_input.{error.code}"))
