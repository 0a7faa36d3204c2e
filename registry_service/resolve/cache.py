"""The resolver's in-process cache and the watcher that keeps it true across processes.

Invalidation: every change to what the resolver reads is announced (`changes.py`). This
process sees its own announcements at once (a counter in memory) and other processes'
within `poll_interval` seconds (the version document in the database, read by a
background task in the service, or lazily before a resolution when no task runs). Any
new version clears the whole cache. A computation started before a change never stores
its result after it (the cache's generation must not have moved meanwhile).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import pymongo
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from registry_service.resolve.changes import current_version, local_changes

log = logging.getLogger("omniflattr.resolve")

DEFAULT_POLL_INTERVAL = 0.5
DEFAULT_TTL = 600.0  # a safety net: every change is announced anyway
PENDING_TTL = 5.0  # an answer waiting for a crawl is looked at again soon
VERSION_READ_TIMEOUT = 2.0  # seconds; then the read counts as failed and is retried


@dataclass
class Entry:
    normalized: str
    keys: tuple[str, ...]
    source: str
    claimed: bool
    declined: bool
    creator: dict | None
    pending: bool
    crawl_due: bool  # a crawl could change the answer and none is known to be queued
    queued_priority: int = 0  # the highest priority this process queued it with
    expires_at: float = 0.0


class ResolutionCache:
    def __init__(self, max_entries: int = 200_000, ttl: float = DEFAULT_TTL) -> None:
        self.max_entries = max_entries
        self.ttl = ttl
        self.generation = 0
        self._entries: dict[str, Entry] = {}
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, normalized: str) -> Entry | None:
        entry = self._entries.get(normalized)
        if entry is None or entry.expires_at < time.monotonic():
            self.misses += 1
            return None
        self.hits += 1
        return entry

    def put(self, entry: Entry, generation: int) -> None:
        """Store an entry computed during `generation`; dropped if a change came meanwhile."""
        if generation != self.generation or self.max_entries <= 0:
            return
        entry.expires_at = time.monotonic() + (PENDING_TTL if entry.pending else self.ttl)
        if len(self._entries) >= self.max_entries:
            for stale in list(self._entries)[: max(1, self.max_entries // 10)]:
                del self._entries[stale]
        self._entries[entry.normalized] = entry

    def mark_pending(self, entry: Entry, priority: int) -> None:
        """A crawl was just queued for this entry: look at it again soon."""
        entry.pending = True
        entry.queued_priority = max(entry.queued_priority, priority)
        entry.expires_at = min(entry.expires_at, time.monotonic() + PENDING_TTL)

    def clear(self) -> None:
        self.generation += 1
        self._entries.clear()


class ChangeWatcher:
    """Calls `on_change` when a change is announced, here or in another process."""

    def __init__(
        self,
        db: AsyncDatabase,
        on_change: Callable[[], None],
        poll_interval: float = DEFAULT_POLL_INTERVAL,
    ) -> None:
        self.db = db
        self.on_change = on_change
        self.poll_interval = poll_interval
        self.version: int | None = None
        self._local = local_changes()
        self._checked_at = float("-inf")
        self._inflight: asyncio.Future | None = None

    def is_fresh(self) -> bool:
        """Whether the cache may answer now: no change announced in this process since it
        was filled (else it is cleared now), and the shared version read recently enough
        (else `ensure_fresh` reads it). Synchronous: the usual request awaits nothing."""
        local = local_changes()
        if local != self._local:
            self._local = local
            self.on_change()
        return time.monotonic() - self._checked_at < self.poll_interval

    async def ensure_fresh(self) -> None:
        """Before answering from the cache: nothing announced since it was filled."""
        if not self.is_fresh():
            await self.check()

    async def check(self) -> None:
        if self._inflight is not None:  # one read at a time; the others wait for it
            await asyncio.shield(self._inflight)
            return
        done = self._inflight = asyncio.get_running_loop().create_future()
        started = time.monotonic()
        try:
            with pymongo.timeout(VERSION_READ_TIMEOUT):  # a lost reply must not stall resolving
                version = await current_version(self.db)
            if self.version is not None and version != self.version:
                self.on_change()
            self.version = version
        except PyMongoError as exc:
            # The database is away, so nothing can change in it either: the cache stays true.
            log.warning("cannot read the resolver's change version: %s", exc)
        finally:
            self._checked_at = started
            self._inflight = None
            done.set_result(None)

    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Poll until `stop` is set (a background task of the service).

        Stopping waits for a read in flight instead of cancelling it: a database operation
        cancelled half-way can leave the driver's connection pool waiting at shutdown.
        """
        stop = stop or asyncio.Event()
        while not stop.is_set():
            try:
                await self.check()
            except Exception:  # keep watching whatever happened; the next poll may work
                log.exception("the resolver's change watcher failed; retrying")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.poll_interval / 2)
