"""Runs a crawl worker inside the service (``omniflattr serve``) unless turned off."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from crawlers.fetch import close_guarded_client
from crawlers.worker import Worker, WorkerOptions
from registry_service.api.state import CONTEXT, RUN_CRAWLER

log = logging.getLogger("omniflattr.crawler")


def setup(app: web.Application) -> None:
    app.cleanup_ctx.append(_crawler)


async def _crawler(app: web.Application) -> AsyncIterator[None]:
    context = app[CONTEXT]
    if not app[RUN_CRAWLER]:
        yield
        await close_guarded_client(context)
        return
    stop = asyncio.Event()
    worker = Worker(context, WorkerOptions(concurrency=1, shutdown_grace=2.0))
    task = asyncio.create_task(worker.run(stop), name="crawl-worker")
    yield
    stop.set()
    try:
        await asyncio.wait_for(task, timeout=5.0)
    except TimeoutError:
        log.warning("the crawl worker did not stop in time; cancelled")
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    except Exception:
        log.exception("the crawl worker failed")
    await close_guarded_client(context)
