"""URL -> the creator keys it pays, from everything the database knows, behind a cache."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from crawlers import queue
from registry_service.claims.ownership import owners_of
from registry_service.context import Context
from registry_service.resolve import store
from registry_service.resolve.cache import ChangeWatcher, Entry, ResolutionCache
from registry_service.resolve.domains import host_info
from registry_service.resolve.platforms import ADAPTERS, adapter_for, looks_fediverse
from registry_service.resolve.rules import (
    Delegation,
    crawl_could_change,
    crawl_due,
    decide,
    platform_key,
)
from registry_service.resolve.things import Thing, analyse_parsed
from registry_service.resolve.urls import InvalidUrl, ParsedUrl, parse_url

SERVICE_NAME = "resolver"
_PARSED_CACHE_SIZE = 100_000
# Namespaces whose handle keys a crawl can map to immutable ids (collection key_aliases).
ALIASED_NAMESPACES = frozenset(
    a.namespace for a in ADAPTERS if any(rule.learns_id for rule in a.rules)
)


@dataclass(slots=True)
class Resolution:
    url: str
    normalized: str
    key: str
    keys: tuple[str, ...]
    source: str  # meta | path | platform | subdomain | domain
    pending: bool = False
    claimed: bool = False
    declined: bool = False
    creator: dict | None = None

    def to_json(self) -> dict:
        return {
            "url": self.url,
            "normalized": self.normalized,
            "key": self.key,
            "keys": list(self.keys),
            "source": self.source,
            "pending": self.pending,
            "claimed": self.claimed,
            "declined": self.declined,
            "creator": self.creator,
        }

    @classmethod
    def from_entry(cls, url: str, entry: Entry) -> Resolution:
        return cls(
            url,
            entry.normalized,
            entry.keys[0],
            entry.keys,
            entry.source,
            entry.pending,
            entry.claimed,
            entry.declined,
            entry.creator,
        )


def _aliasable(key: str | None) -> bool:
    return bool(key) and key.partition(":")[0] in ALIASED_NAMESPACES


class Resolver:
    """One per process (`get_resolver`).

    `cache=False` keeps no answers and (unless `owner_cache=True`) no key owners: every
    resolution reads the database. It still remembers, until the next announced change,
    the two small sets it consults first: hosts with delegations and fediverse hosts.
    """

    def __init__(
        self,
        context: Context,
        *,
        cache: bool = True,
        owner_cache: bool | None = None,
        poll_interval: float | None = None,
    ) -> None:
        self.context = context
        self.caching = cache if owner_cache is None else owner_cache
        self.cache = ResolutionCache(max_entries=200_000 if cache else 0)
        self.watcher = ChangeWatcher(context.db, self._changed, **_interval(poll_interval))
        self._parsed: dict[str, ParsedUrl | str] = {}  # a normal form or why it is invalid
        self._fediverse: dict[str, bool] = {}
        self._delegation_hosts: frozenset[str] | None = None
        self._owners: dict[str, object] = {}

    def _changed(self) -> None:
        """A change was announced: forget everything read from the database."""
        self.cache.clear()
        self._fediverse.clear()
        self._delegation_hosts = None
        self._owners.clear()

    async def watch(self, stop: asyncio.Event | None = None) -> None:
        """Keep the cache true without making requests wait (a background task)."""
        await self.watcher.run(stop)

    # -- public ---------------------------------------------------------------------------

    async def resolve(
        self, url: str, *, crawl: bool = True, priority: int = queue.PRIORITY_RESOLVE
    ) -> Resolution:
        """The keys `url` pays now; raises `InvalidUrl`. With `crawl`, queues a crawl when
        one could change the answer (never waits for it)."""
        if not self.watcher.is_fresh():
            await self.watcher.check()
        parsed = self._parse(url)
        if isinstance(parsed, InvalidUrl):
            raise parsed
        entry = self.cache.get(parsed.normalized)
        if entry is not None and not (
            crawl and entry.crawl_due and entry.queued_priority < priority
        ):
            return Resolution.from_entry(url, entry)  # the fast path: no database at all
        [result] = await self.resolve_many([url], crawl=crawl, priority=priority)
        if isinstance(result, InvalidUrl):
            raise result
        return result

    async def resolve_many(
        self,
        urls: Sequence[str],
        *,
        crawl: bool = False,
        priority: int = queue.PRIORITY_RESOLVE,
    ) -> list[Resolution | InvalidUrl]:
        """One answer per URL, in order: a `Resolution` or the `InvalidUrl` it raised."""
        await self.watcher.ensure_fresh()
        parsed = [self._parse(url) for url in urls]
        entries: dict[str, Entry] = {}
        misses: dict[str, ParsedUrl] = {}
        for item in parsed:
            if isinstance(item, ParsedUrl):
                normalized = item.normalized
                entry = self.cache.get(normalized)
                if entry is not None:
                    entries[normalized] = entry
                else:
                    misses[normalized] = item
        if misses:
            entries.update(await self._compute(list(misses.values()), crawl, priority))
        if crawl:
            await self._queue_crawls(
                [e for e in entries.values() if e.crawl_due and e.queued_priority < priority],
                priority,
            )
        return [
            item
            if isinstance(item, InvalidUrl)
            else Resolution.from_entry(url, entries[item.normalized])
            for url, item in zip(urls, parsed, strict=True)
        ]

    # -- internals ------------------------------------------------------------------------

    def _parse(self, url: str) -> ParsedUrl | InvalidUrl:
        """Normalisation is pure, so its results are kept for good (bounded). An invalid URL
        keeps its message only: each caller gets a fresh exception to raise."""
        found = self._parsed.get(url) if isinstance(url, str) else None
        if found is None:
            try:
                found = parse_url(url)
            except InvalidUrl as exc:
                found = exc.message
            if isinstance(url, str) and len(url) <= 2048:
                if len(self._parsed) >= _PARSED_CACHE_SIZE:
                    self._parsed.clear()
                self._parsed[url] = found
        return InvalidUrl(found) if isinstance(found, str) else found

    async def _queue_crawls(self, entries: list[Entry], priority: int) -> None:
        for entry in entries:
            await queue.enqueue(
                self.context.db, entry.normalized, priority=priority, reason="resolve"
            )
            self.cache.mark_pending(entry, priority)

    async def _fediverse_hosts(self, urls: list[ParsedUrl]) -> frozenset[str]:
        """Hosts of these URLs the crawler has seen answering NodeInfo."""
        asking = {
            u.site_host
            for u in urls
            if looks_fediverse(u)
            and u.site_host not in self._fediverse
            and adapter_for(host_info(u.host)) is None
        }
        if asking:
            known = await store.known_fediverse_hosts(self.context.db, asking)
            for host in asking:
                self._fediverse[host] = host in known
        return frozenset(h for h in (u.site_host for u in urls) if self._fediverse.get(h))

    async def _delegations(self, things: list[Thing]) -> list[Delegation]:
        db = self.context.db
        if self._delegation_hosts is None:
            self._delegation_hosts = await store.delegation_hosts(db)
        hosts = {t.site_host for t in things} & self._delegation_hosts
        return await store.delegations_for(db, hosts) if hosts else []

    def _may_delegate(self, things: list[Thing]) -> bool:
        hosts = self._delegation_hosts
        return hosts is None or any(t.site_host in hosts for t in things)

    def _must_read_owners(self, keys: set[str]) -> bool:
        return not self.caching or any(k not in self._owners for k in keys)

    def _known_owners(self, keys: set[str]) -> dict:
        return {k: self._owners[k] for k in keys if self._owners.get(k) is not None}

    async def _owners_of(self, keys: set[str]) -> dict:
        """Verified owners of these keys; remembered until the next change when caching."""
        missing = [k for k in keys if k not in self._owners] if self.caching else list(keys)
        found = await owners_of(self.context.db, missing) if missing else {}
        if self.caching:
            if len(self._owners) > _PARSED_CACHE_SIZE:
                self._owners.clear()
            self._owners.update({k: found.get(k) for k in missing})
            found = self._known_owners(keys)
        return found

    async def _compute(self, urls: list[ParsedUrl], crawl: bool, priority: int) -> dict[str, Entry]:
        db, generation = self.context.db, self.cache.generation
        fediverse = (
            await self._fediverse_hosts(urls)
            if any(looks_fediverse(u) for u in urls)
            else frozenset()
        )
        things = [analyse_parsed(u, fediverse) for u in urls]
        normalized = [t.normalized for t in things]
        url_keys = {
            k
            for t in things
            for k in (t.domain_key, *t.subdomain_keys, t.platform and t.platform.key)
            if k
        }
        aliasable = [k for k in url_keys if _aliasable(k)]
        signals, owners, delegations, aliases = await _together(
            store.signals_of(db, normalized),
            self._owners_of(url_keys) if self._must_read_owners(url_keys) else None,
            self._delegations(things) if self._may_delegate(things) else None,
            store.aliases_of(db, aliasable) if aliasable else None,
        )
        owners = owners if owners is not None else self._known_owners(url_keys)
        delegations = delegations or []
        aliases = aliases if aliases is not None else {}
        # What the crawled signals add: keys to look up aliases and owners for.
        learned = {
            k
            for t in things
            if (s := signals.get(t.normalized))
            for k in (*s.creators, platform_key(t, s))
            if k
        }
        more_aliases = {k for k in learned if _aliasable(k)} - url_keys
        if more_aliases:
            aliases.update(await store.aliases_of(db, more_aliases))
        wanted = (
            learned
            | set(aliases.values())
            | {d.key for d in delegations}
            | {d.creator_key for d in delegations}
        )
        missing = wanted - url_keys
        if missing:
            owners.update(await self._owners_of(missing))
        # A subdomain key that stands declined (its owner's claim ended) still takes its
        # pages, so they stay refused; delegations need their own claim, which it has not.
        decisions = [
            decide(t, signals.get(t.normalized), delegations, owners, aliases) for t in things
        ]
        accounts = await store.accounts_by_id(
            db,
            [
                owners[d.keys[0]].account_id
                for d in decisions
                if d.keys[0] in owners and owners[d.keys[0]].claimed
            ],
        )
        now = self.context.clock.now()
        entries: dict[str, Entry] = {}
        asking_pending = []
        for thing, decision in zip(things, decisions, strict=True):
            page = signals.get(thing.normalized)
            owner = owners.get(decision.keys[0])
            account = accounts.get(owner.account_id) if owner and owner.claimed else None
            alias_known = bool(thing.platform and thing.platform.key in aliases)
            could_change = crawl_could_change(thing, page, alias_known)
            entry = Entry(
                normalized=thing.normalized,
                keys=decision.keys,
                source=decision.source,
                claimed=bool(owner and owner.claimed),
                declined=bool(owner and owner.declined),
                creator=(
                    {"handle": account.get("handle"), "display_name": account.get("display_name")}
                    if account
                    else None
                ),
                pending=False,
                crawl_due=could_change and crawl_due(page, now),
            )
            if entry.crawl_due:
                asking_pending.append(entry)
            entries[thing.normalized] = entry
        if asking_pending and not crawl:  # with crawl, queueing it says pending anyway
            running = await queue.pending(db, [e.normalized for e in asking_pending])
            for entry in asking_pending:
                entry.pending = entry.normalized in running
                entry.queued_priority = priority if entry.pending else 0
        for entry in entries.values():
            self.cache.put(entry, generation)
        return entries


async def _together(*steps):
    """Await the steps that are needed (None: not needed, gives {} or []), concurrently."""
    needed = [step for step in steps if step is not None]
    done = [await needed[0]] if len(needed) == 1 else list(await asyncio.gather(*needed))
    return [done.pop(0) if step is not None else None for step in steps]


def _interval(poll_interval: float | None) -> dict:
    return {} if poll_interval is None else {"poll_interval": poll_interval}


def get_resolver(context: Context) -> Resolver:
    """The process's resolver (with its cache), created on first use."""
    resolver = context.services.get(SERVICE_NAME)
    if resolver is None:
        resolver = context.services[SERVICE_NAME] = Resolver(context)
    return resolver
