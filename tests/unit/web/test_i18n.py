"""Both languages say everything, with the same placeholders; negotiation picks right."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from registry_service.claims.history import EVENT_TYPES
from registry_service.config import DEFAULT_FEES
from registry_service.ledger.settlement import PHASES
from registry_service.web import claim_views, i18n
from registry_service.web.i18n import Translator, catalog, negotiate, placeholders, plural_form
from registry_service.web.money_views import EXIT_DESTINATIONS
from registry_service.web.pages import admin
from registry_service.web.rendering import STATUS_TITLES

WEB = Path(i18n.__file__).parent
# t("key"), t('key'), t.plural("key", ...), page.t("key"), flash(..., "flash.key")
USED = re.compile(r"""\bt(?:\.plural)?\(\s*["']([a-z_][a-z0-9_.]*)["']""")
FLASH = re.compile(r"""flash\(\s*["'][a-z]+["'],\s*["']([a-z_.]+)["']""")


def _used_keys() -> set[str]:
    keys: set[str] = set()
    for path in [*WEB.rglob("*.html"), *WEB.rglob("*.py")]:
        text = path.read_text()
        keys |= set(USED.findall(text)) | set(FLASH.findall(text))
    # `t("admin.phases." ~ phase)`: prefixes of keys built at run time, checked below.
    return {key for key in keys if not key.endswith(".")}


def test_every_message_exists_in_every_language_with_the_same_placeholders():
    english = catalog("en")
    for lang in i18n.LANGUAGES:
        other = catalog(lang)
        assert set(other) == set(english), f"{lang}: {set(other) ^ set(english)}"
        for key, message in english.items():
            theirs = other[key]
            if isinstance(message, dict):
                assert set(theirs) == set(message) == {"one", "other"}, key
                for form in message:
                    assert placeholders(theirs[form]) == placeholders(message[form]), key
            else:
                assert isinstance(theirs, str) and theirs.strip(), key
                assert placeholders(theirs) == placeholders(message), f"{lang} {key}"


def test_every_key_the_code_uses_exists():
    used = _used_keys()
    assert len(used) > 100, "the scan found too few keys to be working"
    missing = sorted(k for k in used if k not in catalog("en"))
    assert not missing, missing


def test_dynamic_keys_exist():
    english = catalog("en")
    for status in STATUS_TITLES:
        assert f"status.{status}" in english
    for number in range(1, 13):
        assert f"months.long.{number}" in english and f"months.short.{number}" in english
    dynamic = {
        "claim.method": (*claim_views.METHODS, "other"),
        "claim.how": (*claim_views.METHODS, "other"),
        "claim.outcome": claim_views.OUTCOMES,
        "claim.hint": claim_views.OUTCOMES,
        "claim.status": (*claim_views.STATUSES, "declined"),
        "claim.event": EVENT_TYPES,
        "topup.methods": tuple(DEFAULT_FEES),
        "admin.phases": PHASES[:],
        "admin.summary": admin.SUMMARY_FIELDS,
        "admin.sweep": admin.SWEEP_FIELDS,
        "income.state": ("requested", "pending", "paid", "failed"),
        "ngo.state": ("pending", "approved", "refused"),
        "months.to": ("creator", "escrow", "charity", *EXIT_DESTINATIONS.values()),
        "money_input": ("empty", "negative", "not_a_number", "too_many_decimals", "too_large"),
        "flash": ("payout_paid", "payout_pending", "ngo_approved", "ngo_refused"),
    }
    missing = [
        f"{prefix}.{name}"
        for prefix, names in dynamic.items()
        for name in names
        if f"{prefix}.{name}" not in english
    ]
    assert not missing, missing


def test_messages_hold_no_markup():
    for lang in i18n.LANGUAGES:
        for key, message in catalog(lang).items():
            for text in message.values() if isinstance(message, dict) else [message]:
                assert "<" not in text and ">" not in text, f"{lang} {key}"


def test_translator_formats_and_falls_back():
    t = Translator("fr")
    assert t("flash.welcome", name="Zoé") == "Bienvenue, Zoé ! Votre compte est prêt."
    assert t("no.such.key") == "no.such.key"
    assert Translator("en")("errors.weak_password", min=10).endswith("10 characters.")


@pytest.mark.parametrize(
    ("lang", "n", "form"),
    [
        ("en", 0, "other"),
        ("en", 1, "one"),
        ("en", 2, "other"),
        ("fr", 0, "one"),
        ("fr", 1, "one"),
        ("fr", 2, "other"),
    ],
)
def test_plural_rules(lang, n, form):
    assert plural_form(lang, n) == form


@pytest.mark.parametrize(
    ("cookie", "header", "expected"),
    [
        (None, "", "en"),
        (None, "fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        (None, "en-GB,fr;q=0.5", "en"),
        (None, "de-DE, fr;q=0.2, en;q=0.1", "fr"),
        (None, "fr;q=0, en", "en"),
        (None, "es, de", "en"),
        (None, "garbage;;q=x,,", "en"),
        ("fr", "en", "fr"),
        ("xx", "fr", "fr"),
    ],
)
def test_negotiation(cookie, header, expected):
    assert negotiate(cookie, header) == expected
