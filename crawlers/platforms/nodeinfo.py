"""NodeInfo (`/.well-known/nodeinfo`): does a host run fediverse software? (pure parts)"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

SCHEMA_PREFIX = "http://nodeinfo.diaspora.software/ns/schema/"
ACCOUNT_PATH = re.compile(r"^/@([A-Za-z0-9_.-]{1,64})(?:/|$)")
SOFTWARE_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


def account_of(path: str) -> str | None:
    """`/@alice` or `/@alice/123` → `alice` (fediverse profile and post URLs)."""
    match = ACCOUNT_PATH.match(path)
    return match.group(1) if match else None


def document_url(body: bytes, host: str) -> str | None:
    """The NodeInfo document the well-known file points to (newest schema, same host)."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    links = data.get("links") if isinstance(data, dict) else None
    best: tuple[str, str] | None = None
    for link in links if isinstance(links, list) else []:
        if not isinstance(link, dict):
            continue
        rel, href = link.get("rel"), link.get("href")
        if not isinstance(rel, str) or not isinstance(href, str):
            continue
        if not rel.startswith(SCHEMA_PREFIX):
            continue
        if (urlsplit(href).hostname or "").lower() != host:
            continue
        version = rel.removeprefix(SCHEMA_PREFIX)
        if best is None or version > best[0]:
            best = (version, href)
    return best[1] if best else None


def software_of(body: bytes) -> str | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    software = data.get("software") if isinstance(data, dict) else None
    name = software.get("name") if isinstance(software, dict) else None
    if isinstance(name, str) and SOFTWARE_NAME.match(name.strip().lower()):
        return name.strip().lower()
    return None
