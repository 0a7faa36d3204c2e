"""Translations: one TOML message file per language, chosen by cookie or Accept-Language.

Messages are plain text with `{name}` placeholders; templates escape them like any other
text, so a message never carries markup. A message with plural forms is a table
`{one = "...", other = "..."}`; `Translator.plural` picks the form by each language's rule.
"""

from __future__ import annotations

import logging
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

log = logging.getLogger("omniflattr.web")

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
LANG_COOKIE = "lang"

Messages = Mapping[str, "str | Mapping[str, str]"]


def _flatten(table: Mapping, prefix: str = "") -> dict:
    """{"a": {"b": "x"}} -> {"a.b": "x"}; a table holding only plural forms stays whole."""
    flat: dict = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping) and set(value) <= {"one", "other"}:
            flat[key] = dict(value)
        elif isinstance(value, Mapping):
            flat.update(_flatten(value, key + "."))
        else:
            flat[key] = value
    return flat


@cache
def catalog(lang: str) -> Messages:
    with open(LOCALES_DIR / f"{lang}.toml", "rb") as f:
        return _flatten(tomllib.load(f))


def placeholders(message: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


def plural_form(lang: str, n: int) -> str:
    """CLDR cardinal rules for our languages: French counts 0 and 1 as singular."""
    if lang == "fr":
        return "one" if n in (0, 1) else "other"
    return "one" if n == 1 else "other"


@dataclass(frozen=True)
class Translator:
    lang: str

    def _lookup(self, key: str):
        for lang in (self.lang, DEFAULT_LANGUAGE):
            value = catalog(lang).get(key)
            if value is not None:
                return value
        log.warning("missing message %r", key)
        return key

    def __call__(self, key: str, /, **params: object) -> str:
        message = self._lookup(key)
        if isinstance(message, Mapping):
            message = message["other"]
        return message.format_map(params) if params else message

    def plural(self, key: str, n: int, /, **params: object) -> str:
        message = self._lookup(key)
        if isinstance(message, Mapping):
            message = message[plural_form(self.lang, n)]
        return message.format_map({"n": n, **params})

    def has(self, key: str) -> bool:
        return key in catalog(self.lang) or key in catalog(DEFAULT_LANGUAGE)


def parse_accept_language(header: str) -> list[str]:
    """Language tags of an Accept-Language header, best first (q=0 dropped)."""
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip().lower()
        if not tag:
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            weighted.append((-quality, index, tag))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate(cookie: str | None, accept_language: str) -> str:
    """The cookie's language if supported, else the best Accept-Language match, else English."""
    if cookie in LANGUAGES:
        return cookie
    for tag in parse_accept_language(accept_language):
        primary = tag.split("-")[0]
        if primary in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE
