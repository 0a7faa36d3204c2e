"""robots.txt under RFC 9309, through the guarded client, cached in MongoDB (≤ 24 h).

- 2xx: the file's rules (protego); redirects were followed by the client (≤ 5 hops).
- 4xx (unavailable): everything allowed.
- 5xx, 429, or unreachable: everything disallowed (the site may be in trouble), cached
  for a shorter time so it is tried again soon.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from protego import Protego

from crawlers.batching import once
from crawlers.fetch import FetchError, get_guarded_client
from crawlers.fetch.client import BOT_NAME
from crawlers.sites import origin_of
from crawlers.store import ROBOTS

MAX_ROBOTS_BYTES = 512 * 1024  # RFC 9309: parse at least 500 KiB
CACHE_OK = timedelta(hours=24)
CACHE_UNREACHABLE = timedelta(hours=1)
MEMORY_SECONDS = 300.0
SERVICE_NAME = "robots_memory"


@dataclass
class RobotsRules:
    origin: str
    kind: str  # "rules" | "allow_all" | "disallow_all"
    body: str = ""
    reason: str = ""
    _parser: Protego | None = None

    @property
    def parser(self) -> Protego | None:
        if self.kind == "rules" and self._parser is None:
            self._parser = Protego.parse(self.body)
        return self._parser

    def allows(self, url: str, agent: str = BOT_NAME) -> bool:
        if self.kind == "allow_all":
            return True
        if self.kind == "disallow_all":
            return False
        assert self.parser is not None
        return bool(self.parser.can_fetch(url, agent))

    def crawl_delay(self, agent: str = BOT_NAME) -> float | None:
        if self.kind != "rules" or self.parser is None:
            return None
        delay = self.parser.crawl_delay(agent)
        return float(delay) if delay is not None else None

    def explain(self, url: str) -> str:
        if self.kind == "disallow_all":
            return (
                f"robots.txt of {self.origin} could not be read ({self.reason}): nothing is crawled"
            )
        return f"robots.txt of {self.origin} disallows {url}"


def rules_from_fetch(origin: str, status: int | None, body: bytes, error: str = "") -> RobotsRules:
    """RFC 9309 §2.3.1: what a robots.txt answer means (pure)."""
    if status is None:
        return RobotsRules(origin, "disallow_all", reason=error or "unreachable")
    if 200 <= status < 300:
        # utf-8-sig: a byte-order mark before "User-agent" must not hide the first group
        return RobotsRules(origin, "rules", body=body.decode("utf-8-sig", errors="replace"))
    if status == 429:
        return RobotsRules(origin, "disallow_all", reason="429 Too Many Requests")
    if 400 <= status < 500:
        return RobotsRules(origin, "allow_all", reason=f"HTTP {status}")
    return RobotsRules(origin, "disallow_all", reason=f"HTTP {status}")


def _memory(context) -> dict[str, tuple[float, RobotsRules]]:
    return context.services.setdefault(SERVICE_NAME, {})


def remembered(context, url: str) -> RobotsRules | None:
    """The rules for a URL's origin if this process knows them (no I/O), else None."""
    cached = _memory(context).get(origin_of(url))
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    return None


async def rules_for(context, url: str) -> RobotsRules:
    """The robots.txt rules for a URL's origin: memory, then MongoDB, then a fetch."""
    rules = remembered(context, url)
    if rules is not None:
        return rules
    origin = origin_of(url)
    return await once(context, "robots:" + origin, lambda: _load(context, origin))


async def _load(context, origin: str) -> RobotsRules:
    memory = _memory(context)
    now: datetime = context.clock.now()
    doc = await context.db[ROBOTS].find_one({"_id": origin})
    if doc is not None and doc["expires_at"] > now:
        rules = RobotsRules(origin, doc["kind"], doc.get("body", ""), doc.get("reason", ""))
    else:
        rules = await _fetch(context, origin)
        ttl = CACHE_OK if rules.kind != "disallow_all" else CACHE_UNREACHABLE
        await context.db[ROBOTS].replace_one(
            {"_id": origin},
            {
                "kind": rules.kind,
                "body": rules.body,
                "reason": rules.reason,
                "fetched_at": now,
                "expires_at": now + ttl,
            },
            upsert=True,
        )
    if len(memory) > 10_000:
        memory.clear()
    memory[origin] = (time.monotonic() + MEMORY_SECONDS, rules)
    return rules


async def _fetch(context, origin: str) -> RobotsRules:
    client = get_guarded_client(context)
    try:
        result = await client.get(
            origin + "/robots.txt", max_bytes=MAX_ROBOTS_BYTES, headers={"Accept": "text/plain"}
        )
    except FetchError as exc:
        if exc.code == "too_many_redirects":
            # RFC 9309 §2.3.1.2: past five redirects the file counts as unavailable (4xx).
            return RobotsRules(origin, "allow_all", reason=exc.message)
        return rules_from_fetch(origin, None, b"", exc.message)
    return rules_from_fetch(origin, result.status, result.body)


def forget(context, url: str) -> None:
    _memory(context).pop(origin_of(url), None)
