"""Coalescing concurrent database calls into batches (one round trip for many pages).

While one batch is with the database, the calls made meanwhile wait and go together as
the next batch, so a busy crawler makes few round trips and an idle one adds no delay.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Coalescer(Generic[T, R]):
    def __init__(
        self, run_batch: Callable[[list[T]], Awaitable[list[R]]], *, max_batch: int = 200
    ) -> None:
        self.run_batch = run_batch
        self.max_batch = max_batch
        self._pending: list[tuple[T, asyncio.Future[R]]] = []
        self._drainer: asyncio.Task | None = None

    async def submit(self, item: T) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._pending.append((item, future))
        if self._drainer is None:
            self._drainer = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            await asyncio.sleep(0)  # let the callers of this loop turn join the batch
            while self._pending:
                batch = self._pending[: self.max_batch]
                del self._pending[: self.max_batch]
                await self._run(batch)
        finally:
            self._drainer = None

    async def _run(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        try:
            results = await self.run_batch([item for item, _ in batch])
        except Exception as exc:
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)


def coalescer(context, name: str, run_batch, *, max_batch: int = 200) -> Coalescer:
    """The process's coalescer called `name` (one per context, created on first use)."""
    found = context.services.get(name)
    if found is None:
        found = context.services[name] = Coalescer(run_batch, max_batch=max_batch)
    return found


async def once(context, key: str, work):
    """Run `work()` once for concurrent callers with the same key (pages of one new site
    crawled at the same time fetch its extras once)."""
    flights: dict = context.services.setdefault("crawler_in_flight", {})
    flight = flights.get(key)
    if flight is None:
        flight = flights[key] = asyncio.ensure_future(work())
        flight.add_done_callback(lambda _: flights.pop(key, None))
    return await asyncio.shield(flight)
