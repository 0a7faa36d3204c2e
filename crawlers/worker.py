"""A crawl worker: leases jobs from the shared queue and crawls them, politely.

Several slots run in one process (`--workers N`); any number of processes on any number
of machines share the queue. A job whose lease runs out (a worker died) is taken again
by another; a long job keeps its lease alive; on stop, a job still running after the
grace period is given back to the queue.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from pymongo.errors import PyMongoError

from crawlers import batched, metrics, pipeline, politeness, queue, robots
from crawlers.batching import Coalescer
from crawlers.pipeline import CrawlFailed, RetryLater
from crawlers.schedule import MAX_ATTEMPTS, retry_delay
from crawlers.sites import site_of
from registry_service.context import Context

log = logging.getLogger("omniflattr.crawler")

SLOW_DOWN_DEFAULT = timedelta(minutes=1)


@dataclass(frozen=True)
class WorkerOptions:
    concurrency: int = 1
    lease_seconds: float = 60.0
    site_interval: float = politeness.DEFAULT_INTERVAL
    idle_poll: float = 1.0  # how often an idle slot asks the queue again
    shutdown_grace: float = 10.0  # on stop, how long a running job may still take


@dataclass
class WorkerStats:
    started: float = field(default_factory=time.monotonic)
    outcomes: dict[str, int] = field(default_factory=dict)
    recent: list[float] = field(default_factory=list)  # finish times in the last minute

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1
        metrics.JOBS.labels(outcome).inc()
        if outcome in ("crawled", "unchanged", "disallowed", "failed", "dead", "retry"):
            now = time.monotonic()
            self.recent.append(now)
            while self.recent and self.recent[0] < now - 60:
                self.recent.pop(0)

    @property
    def finished(self) -> int:
        return sum(n for k, n in self.outcomes.items() if k not in ("deferred", "returned", "lost"))

    def rate(self) -> float:
        """Jobs finished per second over the last minute (or since start)."""
        window = min(60.0, max(1e-6, time.monotonic() - self.started))
        return len(self.recent) / window


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


async def _wait(event: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(event.wait(), seconds)


class Worker:
    def __init__(
        self,
        context: Context,
        options: WorkerOptions | None = None,
        *,
        worker_id: str | None = None,
        stats: WorkerStats | None = None,
    ) -> None:
        self.context = context
        self.options = options or WorkerOptions()
        self.worker_id = worker_id or new_worker_id()
        self.stats = stats or WorkerStats()
        # Idle slots lease together (one round trip for several jobs), and finished jobs
        # are completed together.
        self._buffer: collections.deque[queue.Job] = collections.deque()
        self._lease_lock = asyncio.Lock()
        self._idle = 0
        self._completer = Coalescer(self._complete_batch)
        self._storing: set[asyncio.Task] = set()
        self._storing_room = asyncio.Semaphore(max(1, self.options.concurrency))

    async def _complete_batch(self, items: list[queue.Completion]) -> list[bool]:
        return await queue.complete_many(self.context.db, items)

    async def _next_job(self) -> queue.Job | None:
        if self._buffer:
            return await self._fresh_lease(self._buffer.popleft())
        self._idle += 1
        try:
            async with self._lease_lock:
                if not self._buffer:
                    busy: list[str] = []
                    if self.options.site_interval > 0:
                        busy = await politeness.busy_sites(self.context.db, now=datetime.now(UTC))
                    jobs = await queue.lease_many(
                        self.context.db,
                        self.worker_id,
                        limit=self.options.concurrency,
                        lease_seconds=self.options.lease_seconds,
                        skip_sites=busy,
                        one_per_site=self.options.site_interval > 0,
                    )
                    self._buffer.extend(jobs)
        finally:
            self._idle -= 1
        return await self._fresh_lease(self._buffer.popleft()) if self._buffer else None

    async def _fresh_lease(self, job: queue.Job) -> queue.Job | None:
        """A job that waited in the buffer gets its lease renewed before work starts."""
        left = (job.lease_expires_at - datetime.now(UTC)).total_seconds()
        if left > self.options.lease_seconds / 2:
            return job
        if await queue.extend(self.context.db, job, lease_seconds=self.options.lease_seconds):
            return job
        return None  # the lease ran out and another worker has the job

    async def run(self, stop: asyncio.Event) -> None:
        """Work until `stop` is set; then finish (or give back) the jobs in hand."""
        log.info("crawl worker %s: %d slot(s)", self.worker_id, self.options.concurrency)
        slots = [
            asyncio.create_task(self._slot(stop), name=f"crawl-slot-{i}")
            for i in range(self.options.concurrency)
        ]
        await asyncio.gather(*slots)
        await asyncio.gather(*self._storing)  # pages read are stored and their jobs completed
        while self._buffer:  # leased but not started: back to the queue at once
            job = self._buffer.popleft()
            await queue.defer(self.context.db, job, until=datetime.now(UTC), note="worker stopped")
        log.info("crawl worker %s stopped: %s", self.worker_id, self.stats.outcomes)

    async def _slot(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                job = await self._next_job()
            except PyMongoError as exc:
                log.warning("the crawl queue is not reachable (%s); retrying", exc)
                await _wait(stop, 2.0)
                continue
            if job is None:
                await _wait(stop, self.options.idle_poll)
                continue
            metrics.WORKERS_BUSY.inc()
            try:
                await self._hold(job, stop)
            except Exception as exc:  # the database went away mid-job: the lease expires
                log.warning("crawl of %s interrupted: %s", job.url, exc)
                await _wait(stop, 1.0)
            finally:
                metrics.WORKERS_BUSY.dec()

    async def _hold(self, job: queue.Job, stop: asyncio.Event) -> None:
        """Run a job, keeping its lease alive; on stop, let it finish or give it back."""
        task = asyncio.create_task(self._process(job))
        stopping = asyncio.create_task(stop.wait())
        beat = max(0.05, self.options.lease_seconds / 3)
        try:
            while not task.done():
                await asyncio.wait({task, stopping}, timeout=beat, return_when="FIRST_COMPLETED")
                if task.done():
                    break
                if stop.is_set():
                    await asyncio.wait({task}, timeout=self.options.shutdown_grace)
                    if not task.done():
                        task.cancel()
                        with contextlib.suppress(asyncio.CancelledError):
                            await task
                        await queue.defer(
                            self.context.db, job, until=datetime.now(UTC), note="worker stopped"
                        )
                        self.stats.count("returned")
                    break
                if not await queue.extend(
                    self.context.db, job, lease_seconds=self.options.lease_seconds
                ):
                    log.warning("lost the lease of %s; another worker has it", job.url)
            if task.done() and not task.cancelled() and task.exception() is not None:
                log.error("crawl of %s crashed", job.url, exc_info=task.exception())
        finally:
            stopping.cancel()

    async def _process(self, job: queue.Job) -> None:
        db = self.context.db
        now = datetime.now(UTC)
        if job.attempts > MAX_ATTEMPTS:
            await queue.fail(
                db,
                job,
                error="gave up: the job was taken too often without finishing",
                retry_at=None,
            )
            self.stats.count("dead")
            return
        site = site_of(job.url)
        # The page's stored signals are asked for while the site's clock is consulted.
        stored = asyncio.ensure_future(batched.load_signals(self.context, job.url))
        try:
            rules = await robots.rules_for(self.context, job.url)
            interval = politeness.site_interval(self.options.site_interval, rules.crawl_delay())
            wait = await politeness.reserve(db, site, interval=interval, now=now)
        except BaseException:
            stored.cancel()
            raise
        if wait > 0:
            stored.cancel()
            await queue.defer(db, job, until=now + timedelta(seconds=wait), note="site busy")
            self.stats.count("deferred")
            return
        started = time.monotonic()
        try:
            read = await pipeline.read_page(
                self.context, job.url, stored=stored, validators=job.validators
            )
        except RetryLater as exc:
            delay = exc.delay
            if exc.slow_down:
                delay = delay or SLOW_DOWN_DEFAULT
                await politeness.back_off(db, site, until=now + delay, reason=exc.message)
                await queue.defer(db, job, until=now + delay, note=exc.message)
                self.stats.count("deferred")
                return
            retry_at = now + (delay or retry_delay(job.attempts))
            self.stats.count(await queue.fail(db, job, error=exc.message, retry_at=retry_at))
            log.info("crawl of %s will be retried: %s", job.url, exc.message)
        except CrawlFailed as exc:
            await queue.fail(db, job, error=f"{exc.code}: {exc.message}", retry_at=None)
            self.stats.count("failed")
            log.info("crawl of %s failed: %s", job.url, exc.message)
        except PyMongoError:
            raise  # the database is away: the lease expires and the job comes back
        except Exception as exc:
            await self._crashed(job, exc, now)
        else:
            # Storing does not hold the slot: it reads the next page meanwhile. At most
            # `concurrency` pages wait to be stored; past that, the slot waits here.
            await self._storing_room.acquire()
            task = asyncio.create_task(self._store(job, read, started))
            self._storing.add(task)
            task.add_done_callback(self._storing.discard)
            return
        metrics.JOB_SECONDS.observe(time.monotonic() - started)

    async def _store(self, job: queue.Job, read: pipeline.PageRead, started: float) -> None:
        try:
            outcome = await pipeline.store_page(self.context, read)
            next_at = datetime.now(UTC) + outcome.next_crawl_in
            done = queue.Completion(job, outcome.outcome, next_at, read.validators)
            kept = await self._completer.submit(done)
            self.stats.count(outcome.outcome if kept else "lost")
        except PyMongoError as exc:  # the database is away: the lease expires, the job returns
            log.warning("storing the crawl of %s failed: %s", job.url, exc)
        except Exception as exc:
            with contextlib.suppress(PyMongoError):
                await self._crashed(job, exc, datetime.now(UTC))
        finally:
            self._storing_room.release()
            metrics.JOB_SECONDS.observe(time.monotonic() - started)

    async def _crashed(self, job: queue.Job, exc: Exception, now: datetime) -> None:
        log.error("crawl of %s crashed", job.url, exc_info=exc)
        retry_at = now + retry_delay(job.attempts)
        error = f"internal error: {type(exc).__name__}: {exc}"[:500]
        self.stats.count(await queue.fail(self.context.db, job, error=error, retry_at=retry_at))
