"""Progress of a crawl process: a live line on a terminal, periodic log lines otherwise."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from typing import TextIO

from crawlers import queue
from crawlers.worker import WorkerStats

log = logging.getLogger("omniflattr.crawler")


def describe(stats: WorkerStats, states: dict[str, int]) -> str:
    outcomes = stats.outcomes
    return (
        f"crawled {outcomes.get('crawled', 0)} · unchanged {outcomes.get('unchanged', 0)} · "
        f"failed {outcomes.get('failed', 0) + outcomes.get('dead', 0)} · "
        f"retrying {outcomes.get('retry', 0)} · {stats.rate():.1f} pages/s · "
        f"queue: {states.get('queued', 0)} waiting, {states.get('leased', 0)} running"
    )


async def report(
    context, stats: WorkerStats, stop: asyncio.Event, *, out: TextIO | None = None
) -> None:
    out = out or sys.stdout
    live = out.isatty()
    every = 0.5 if live else 30.0
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)
        try:
            states = await queue.counts(context.db)
        except Exception:  # the database is away; the line says so
            states = {}
        line = describe(stats, states)
        if live:
            out.write("\r\x1b[2K" + line)
            out.flush()
        else:
            log.info("%s", line)
    if live:
        out.write("\n")
        out.flush()
