"""``omniflattr crawl``: a standalone crawl worker process."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

from registry_service.config import Settings

log = logging.getLogger("omniflattr.crawler")


def add_commands(commands: argparse._SubParsersAction) -> None:
    crawl = commands.add_parser(
        "crawl",
        help="run crawl workers on the shared queue until stopped (SIGTERM finishes cleanly)",
    )
    crawl.add_argument(
        "--workers", type=int, default=4, metavar="N", help="jobs crawled at once (default 4)"
    )
    crawl.add_argument(
        "--lease-seconds",
        type=float,
        default=60.0,
        help="how long a job is held before another worker may take it (default 60)",
    )
    crawl.add_argument(
        "--site-interval",
        type=float,
        default=1.0,
        help="seconds between two requests to one site (default 1; robots.txt may ask more)",
    )
    crawl.add_argument(
        "--idle-poll", type=float, default=1.0, help="seconds between queue checks when idle"
    )
    crawl.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from registry_service.cli.runner import run_with_context

    if args.workers < 1 or args.workers > 256:
        print("omniflattr crawl: --workers must be between 1 and 256", file=sys.stderr)
        return 2
    if args.lease_seconds <= 0 or args.site_interval < 0 or args.idle_poll <= 0:
        print(
            "omniflattr crawl: --lease-seconds and --idle-poll must be positive, "
            "--site-interval not negative",
            file=sys.stderr,
        )
        return 2
    return run_with_context(settings, lambda context: _crawl(context, args), log_json=args.log_json)


async def _crawl(context, args: argparse.Namespace) -> int:
    from crawlers import progress
    from crawlers.fetch import close_guarded_client
    from crawlers.worker import Worker, WorkerOptions

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    options = WorkerOptions(
        concurrency=args.workers,
        lease_seconds=args.lease_seconds,
        site_interval=args.site_interval,
        idle_poll=args.idle_poll,
    )
    worker = Worker(context, options)
    reporter = asyncio.create_task(progress.report(context, worker.stats, stop))
    try:
        await worker.run(stop)
    finally:
        stop.set()
        await reporter
        await close_guarded_client(context)
    log.info("crawl worker %s exits: %s", worker.worker_id, worker.stats.outcomes)
    return 0
