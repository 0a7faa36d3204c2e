"""`funding.json` (the FLOSS/fund manifest): who to fund and through which channels."""

from __future__ import annotations

import json

from crawlers.extract.signals import Signals

MAX_BYTES = 256 * 1024


def parse_funding_json(body: bytes, manifest_url: str) -> Signals:
    found = Signals()
    if len(body) > MAX_BYTES:
        return found
    try:
        data = json.loads(body)
    except ValueError:
        return found
    if not isinstance(data, dict) or not isinstance(data.get("funding"), dict | None):
        return found
    entity = data.get("entity") if isinstance(data.get("entity"), dict) else {}
    name = entity.get("name") if isinstance(entity.get("name"), str) else None
    channels = (data.get("funding") or {}).get("channels") or []
    kinds = []
    for channel in channels if isinstance(channels, list) else []:
        if not isinstance(channel, dict):
            continue
        address = channel.get("address")
        kind = str(channel.get("type") or "other")[:30]
        kinds.append(kind)
        if isinstance(address, str) and address.startswith(("http://", "https://")):
            found.accept("funding_json_channel", address, channel=kind, source=manifest_url)
    found.accept(
        "funding_json", manifest_url, name=name[:200] if name else None, channels=kinds[:10]
    )
    return found


def manifest_urls(text: str) -> list[str]:
    """`/.well-known/funding-manifest-urls`: one manifest URL a line."""
    urls = []
    for line in text.splitlines()[:20]:
        line = line.strip()
        if line.startswith(("http://", "https://")) and " " not in line:
            urls.append(line)
    return urls
