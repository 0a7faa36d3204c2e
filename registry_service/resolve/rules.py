"""Precedence (creator-keys.md §4) and when to crawl: pure functions over data.

1. the page's own `<head>` names creators (`meta`), 2. a verified domain owner delegated a
path prefix (`path`), 3. a platform key (`platform`), 4. a verified subdomain key
(`subdomain`), 5. the registrable domain (`domain`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from registry_service.resolve.keys import normalize_key
from registry_service.resolve.things import Thing
from registry_service.resolve.urls import normalize_path_prefix

# A page's signals are re-read after this long; a failed fetch is retried sooner.
RECRAWL_AFTER = timedelta(days=30)
RETRY_FAILED_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Signals:
    """What a crawl of the page stored (collection `page_signals`)."""

    creators: tuple[str, ...] = ()
    platform_key: str | None = None
    fetched_at: datetime | None = None
    status: int | None = None

    @classmethod
    def from_doc(cls, doc: Mapping) -> Signals:
        creators = doc.get("creators") or []
        keys = [normalize_key(c) for c in creators] if isinstance(creators, list) else []
        fetched_at = doc.get("fetched_at")
        if isinstance(fetched_at, datetime) and fetched_at.tzinfo is None:
            fetched_at = fetched_at.replace(tzinfo=UTC)
        status = doc.get("status")
        return cls(
            creators=tuple(dict.fromkeys(k for k in keys if k)),
            platform_key=normalize_key(doc.get("platform_key")),
            fetched_at=fetched_at if isinstance(fetched_at, datetime) else None,
            status=status if isinstance(status, int) else None,
        )

    @property
    def failed(self) -> bool:
        return self.status is None or self.status >= 500 or self.status == 429


@dataclass(frozen=True)
class Delegation:
    """A path of a domain handed to a creator (collection `delegations`, written by claims)."""

    key: str  # the delegating domain key
    claim_id: object
    host: str
    path_prefix: str
    creator_key: str

    def covers(self, path: str) -> bool:
        """Whole segments only: /authors/bob/ covers /authors/bob and below, not /authors/bobby."""
        prefix = normalize_path_prefix(self.path_prefix).rstrip("/")
        return not prefix or path == prefix or path.startswith(prefix + "/")


@dataclass(frozen=True)
class Decision:
    keys: tuple[str, ...]
    source: str  # meta | path | platform | subdomain | domain
    owner_keys: tuple[str, ...] = field(default=(), compare=False)


def platform_key(thing: Thing, signals: Signals | None) -> str | None:
    """The platform key: from the URL, or learned by a crawl (a video's channel)."""
    learned = signals.platform_key if signals else None
    if learned and thing.adapter and learned.partition(":")[0] == thing.adapter.namespace:
        return learned
    return thing.platform.key if thing.platform else None


def decide(
    thing: Thing,
    signals: Signals | None,
    delegations: Collection[Delegation],
    owners: Mapping[str, object],
    aliases: Mapping[str, str],
) -> Decision:
    """Which keys the thing pays. `owners` maps verified keys to their owner record (any value
    with a `claim_id`), `aliases` maps handle keys to immutable-id keys."""

    def final(keys, source: str) -> Decision:
        return Decision(tuple(dict.fromkeys(aliases.get(k, k) for k in keys)), source)

    if signals and signals.creators:
        return final(signals.creators, "meta")
    path = thing.url.path
    valid = [
        d
        for d in delegations
        if d.host == thing.site_host
        and d.covers(path)
        and d.key in owners
        and getattr(owners[d.key], "claim_id", None) == d.claim_id
    ]
    if valid:
        best = max(valid, key=lambda d: len(normalize_path_prefix(d.path_prefix)))
        return final([best.creator_key], "path")
    key = platform_key(thing, signals)
    if key:
        return final([key], "platform")
    for candidate in thing.subdomain_keys:
        if candidate in owners:
            return final([candidate], "subdomain")
    return final([thing.domain_key], "domain")


def crawl_could_change(thing: Thing, signals: Signals | None, alias_known: bool) -> bool:
    """Whether a crawl of this page could change its answer (the resolver queues one then)."""
    if thing.adapter is not None:
        match = thing.platform
        if match is None:
            return False  # the platform's own pages
        if match.needs_crawl:
            return True
        if not (match.learns_id and not alias_known):
            return False  # a plain platform key: the platform's page names no one else
    return True


def crawl_due(signals: Signals | None, now: datetime) -> bool:
    """Never crawled, or the stored signals are stale."""
    if signals is None or signals.fetched_at is None:
        return True
    age = now - signals.fetched_at
    return age > (RETRY_FAILED_AFTER if signals.failed else RECRAWL_AFTER)


def wants_crawl(
    thing: Thing, signals: Signals | None, now: datetime, *, alias_known: bool = False
) -> bool:
    return crawl_could_change(thing, signals, alias_known) and crawl_due(signals, now)
