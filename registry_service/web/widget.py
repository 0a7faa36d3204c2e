"""HTML snippets for sites that want a visible button or to name their creators.

Pure functions: the page shows their text, and a site owner pastes it. Every value placed
in an attribute is escaped, so a URL with `&` or `"` stays one valid attribute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import escape

from registry_service.accounts.service import HANDLE_RE

KEY_RE = re.compile(r"^[a-z][a-z0-9-]{0,31}:[^\s<>\"'`]{1,200}$")
BADGE_PATH = "/api/v1/things/badge.svg"
FLATTR_PATH = "/flattr"


class InvalidCreator(ValueError):
    """Not a creator key (`github:alice`) nor a handle on this service (`@alice`)."""


def creator_key(raw: str) -> str:
    """`@alice` or `alice` -> `omniflattr:alice`; a key such as `github:alice` stays."""
    text = raw.strip()
    handle = text.removeprefix("@").lower()
    if ":" not in text and HANDLE_RE.match(handle):
        return f"omniflattr:{handle}"
    namespace, _, ident = text.partition(":")
    key = f"{namespace.lower()}:{ident}"
    if not KEY_RE.match(key):
        raise InvalidCreator(text)
    return key


@dataclass(frozen=True)
class Snippet:
    """What one button needs: the tag for the `<head>` of its page, and the button itself."""

    url: str
    creator: str | None
    head: str
    button: str


def head_tag(creator: str) -> str:
    return f'<meta name="omniflattr:creator" content="{escape(creator)}">'


def payment_link(base_url: str, handle: str) -> str:
    return f'<link rel="payment" href="{escape(base_url + "/@" + handle)}">'


def button(base_url: str, url: str, *, creator: str | None, alt: str) -> str:
    """A link to flattr `url` on this service, showing its badge (with the flattr count)."""
    query = urlencode({"url": url})
    href = f"{base_url}{FLATTR_PATH}?{query}"
    src = f"{base_url}{BADGE_PATH}?{query}"
    hint = f' data-omniflattr-creator="{escape(creator)}"' if creator else ""
    return (
        f'<a class="omniflattr-button" href="{escape(href)}"{hint}>'
        f'<img src="{escape(src)}" alt="{escape(alt)}" height="20"></a>'
    )


def snippet(base_url: str, url: str, creator: str | None, alt: str) -> Snippet:
    head = head_tag(creator) if creator else ""
    return Snippet(url, creator, head, button(base_url, url, creator=creator, alt=alt))
