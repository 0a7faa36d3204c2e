"""Pages per second through the crawl pipeline, next to a bare aiohttp client, same run.

    .venv/bin/python bench/crawl/run.py [--sites 10] [--pages 50] [--concurrency 32]
                                        [--latency-ms 0] [--rounds 3] [--parser bs4|lxml]

A separate process (`bench/crawl/sites.py`) plays `--sites` sites of realistic blog pages
(~90 KB, the signals in a ~45-tag head), each answer after `--latency-ms`. In each round,
over the same pages, with the same concurrency and connection limits, in alternating order:

- bare: aiohttp.ClientSession GETs each page and reads the body (nothing else);
- pipeline: `read_page` then `store_page` for each page (as the worker does: storing
  does not hold the slot), from a fresh state (no robots.txt, signals or per-site extras
  known, no open connection): robots.txt, guarded fetch stopping at `</head>`, parse,
  per-site extras (funding.json, the feed), store in MongoDB;
- (with --store-in-slot) the same through `crawl_page`, storing inside the slot;
- then (unless --no-workers) the same through the queue: the pages are queued first
  (untimed: producers queue over time), then timed: lease, politeness slot, crawl,
  complete.

CPU time per page is read from /proc for this process (the client or the crawler), the
database and the sites, with the 1-minute load average at the start of each run. The
database is MONGODB_URI if set, else an embedded SecantusDB started for the run. The
per-site politeness interval is 0 in the worker run: it measures the machinery, not the
deliberate wait between two requests to one site.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import dataclasses
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.crawl.proc import CpuMeter, load_average  # noqa: E402
from bench.crawl.sites import SERVICE, host_of, page_urls  # noqa: E402
from crawlers import enrich, pipeline, queue, robots, store  # noqa: E402
from crawlers.extract import page as page_module  # noqa: E402
from crawlers.fetch import close_guarded_client  # noqa: E402
from crawlers.worker import Worker, WorkerOptions  # noqa: E402
from registry_service.config import load_settings  # noqa: E402
from registry_service.store.lifecycle import EMBEDDED_DB, open_context  # noqa: E402
from registry_service.store.schema import ensure_indexes  # noqa: E402

CRAWLER_COLLECTIONS = (
    store.SIGNALS,
    store.ROBOTS,
    store.ORIGINS,
    store.JOBS,
    store.SITES,
    store.ALIASES,
    store.FEDIVERSE_HOSTS,
)


async def bounded(concurrency: int, items, work) -> None:
    gate = asyncio.Semaphore(concurrency)

    async def one(item) -> None:
        async with gate:
            await work(item)

    await asyncio.gather(*(one(item) for item in items))


class LoopbackResolver(AbstractResolver):
    """Every name is 127.0.0.1: the bare client reaches the same "sites" by their names."""

    async def resolve(self, host, port=0, family=socket.AF_INET) -> list[ResolveResult]:
        return [
            ResolveResult(
                hostname=host, host="127.0.0.1", port=port, family=socket.AF_INET, proto=0,
                flags=socket.AI_NUMERICHOST,
            )
        ]  # fmt: skip

    async def close(self) -> None:
        pass


async def bare(port: int, urls: list[str], concurrency: int) -> None:
    # The same connection limits as the guarded client, so only the work per page differs.
    connector = aiohttp.TCPConnector(limit=100, limit_per_host=8, resolver=LoopbackResolver())
    async with aiohttp.ClientSession(connector=connector) as session:

        async def fetch(url: str) -> None:
            host, path = url.split("/", 3)[2], "/" + url.split("/", 3)[3]
            async with session.get(f"http://{host}:{port}{path}") as response:
                await response.read()

        await bounded(concurrency, urls, fetch)


async def through_pipeline(context, urls: list[str], concurrency: int) -> None:
    """`concurrency` pages are read (robots.txt, fetch, parse, extras) at once, as many
    requests as the bare client has in flight. As in the worker, storing a page does not
    hold its slot, and at most `concurrency` read pages wait to be stored (past that, the
    slot waits). Each page comes with its conditional-GET headers, as a leased job does
    (none: these pages were never crawled)."""
    reading, storing = asyncio.Semaphore(concurrency), asyncio.Semaphore(concurrency)

    async def crawl(url: str) -> None:
        async with reading:
            read = await pipeline.read_page(context, url, validators={})
            await storing.acquire()
        try:
            outcome = await pipeline.store_page(context, read)
        finally:
            storing.release()
        assert outcome.signals and outcome.signals["creators"], url

    await asyncio.gather(*(crawl(url) for url in urls))


async def store_in_slot(context, urls: list[str], concurrency: int) -> None:
    """For comparison: the whole of `crawl_page` holds the slot, storing included."""

    async def crawl(url: str) -> None:
        outcome = await pipeline.crawl_page(context, url)
        assert outcome.signals and outcome.signals["creators"], url

    await bounded(concurrency, urls, crawl)


async def enqueue_all(context, urls: list[str], concurrency: int) -> None:
    """Before the worker run, untimed: queuing is the producers' work (resolutions, flattrs,
    hints), spread over time in production; the run measures the workers."""
    await bounded(concurrency, urls, lambda url: queue.enqueue(context.db, url, reason="bench"))


async def through_workers(context, urls: list[str], concurrency: int, site_interval: float) -> None:
    stop = asyncio.Event()
    options = WorkerOptions(concurrency=concurrency, site_interval=site_interval, idle_poll=0.01)
    worker = Worker(context, options)
    task = asyncio.create_task(worker.run(stop))
    while worker.stats.outcomes.get("crawled", 0) < len(urls):  # noqa: ASYNC110
        await asyncio.sleep(0.005)
    stop.set()
    await task


async def fresh_state(context) -> None:
    """As if the crawler had never seen these sites: no robots.txt, signals, extras, jobs
    or open connections, in the database or in memory."""
    for name in CRAWLER_COLLECTIONS:
        await context.db[name].delete_many({})
    for memory in (robots.SERVICE_NAME, enrich.MEMORY):
        context.services.pop(memory, None)
    await close_guarded_client(context)


@dataclasses.dataclass
class Sample:
    run: str
    pages: int
    seconds: float
    cpu: dict[str, float]  # process -> CPU seconds during the run
    waited: dict[str, float]  # process -> seconds it was ready to run but had no CPU
    load: float

    @property
    def rate(self) -> float:
        return self.pages / self.seconds

    def cpu_ms(self, process: str) -> float:
        return 1000 * self.cpu.get(process, float("nan")) / self.pages

    def waited_ms(self, process: str) -> float:
        return 1000 * self.waited.get(process, float("nan")) / self.pages


async def measure(name: str, pages: int, meter: CpuMeter, work, profiler=None) -> Sample:
    load = load_average()
    meter.start()
    started = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    try:
        await work()
    finally:
        if profiler is not None:
            profiler.disable()
    seconds = time.perf_counter() - started
    cpu, waited = meter.stop()
    return Sample(name, pages, seconds, cpu, waited, load)


@contextlib.contextmanager
def sites_process(args: argparse.Namespace):
    command = [sys.executable, "-m", "bench.crawl.sites", "--sites", str(args.sites)]
    command += ["--pages", str(args.pages), "--latency-ms", str(args.latency_ms)]
    process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert process.stdout is not None
        ready = json.loads(process.stdout.readline())
        yield ready["port"], ready["pid"]
    finally:
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


PROCESSES = ("client/crawler", "database", "sites")


def print_round(number: int, samples: list[Sample]) -> None:
    base = next(s for s in samples if s.run == "bare")
    parts = []
    for s in samples:
        cpu = "/".join(f"{s.cpu_ms(p):.2f}" for p in PROCESSES)
        ratio = s.rate / base.rate
        waited = s.waited_ms(PROCESSES[0])
        parts.append(
            f"{s.run} {s.rate:6.0f}/s {ratio:4.2f}x cpu {cpu} wait {waited:.2f} (load {s.load:.1f})"
        )
    print(f"round {number}: " + " | ".join(parts), flush=True)


def print_summary(rounds: list[list[Sample]]) -> None:
    print("\nmedian over rounds (ratio: to the bare client of the same round; CPU ms per page;")
    print("no-CPU wait: ms per page the client/crawler was ready to run but had no CPU)")
    header = f"{'run':>16} {'pages/s':>8} {'ratio':>6} {'ratios (min-max)':>17}"
    header += "".join(f" {p + ' ms/page':>22}" for p in PROCESSES)
    header += f" {'no-CPU wait ms/page':>20} {'load':>11}"
    print(header)
    for name in [s.run for s in rounds[0]]:
        samples = [next(s for s in r if s.run == name) for r in rounds]
        ratios = [
            s.rate / next(b for b in r if b.run == "bare").rate
            for s, r in zip(samples, rounds, strict=True)
        ]
        line = f"{name:>16} {statistics.median(s.rate for s in samples):8.0f}"
        line += f" {statistics.median(ratios):5.2f}x {min(ratios):7.2f}-{max(ratios):.2f}x"
        for process in PROCESSES:
            line += f" {statistics.median(s.cpu_ms(process) for s in samples):22.2f}"
        line += f" {statistics.median(s.waited_ms(PROCESSES[0]) for s in samples):20.2f}"
        loads = [s.load for s in samples]
        line += f" {min(loads):5.1f}-{max(loads):.1f}"
        print(line)


async def main(args: argparse.Namespace) -> None:
    page_module.DEFAULT_PARSER = args.parser
    urls = page_urls(args.sites, args.pages)
    with sites_process(args) as (port, sites_pid):
        host_map = {host_of(s): ("127.0.0.1", port) for s in range(args.sites)}
        settings = dataclasses.replace(
            load_settings({"OMNIFLATTR_ENV": "test"}),
            mongodb_uri=os.environ.get("MONGODB_URI") or None,
            db_name=f"bench_{os.getpid()}",
            data_dir=Path(tempfile.mkdtemp(prefix="omniflattr-bench-")),
            public_url=SERVICE,
            crawl_host_map=host_map,
        )
        print(
            f"{len(urls)} pages on {args.sites} sites, concurrency {args.concurrency}, "
            f"site latency {args.latency_ms:g} ms, head parser {args.parser}, "
            f"{args.rounds} rounds; CPU ms/page for {' / '.join(PROCESSES)}",
            flush=True,
        )
        async with open_context(settings) as context:
            embedded = context.services.get(EMBEDDED_DB)
            pids = {"client/crawler": os.getpid(), "sites": sites_pid}
            if embedded is not None and embedded.process is not None:
                pids["database"] = embedded.process.pid
            meter = CpuMeter(pids)
            profiler = cProfile.Profile() if args.profile else None
            await ensure_indexes(context.db)
            runs = {
                "bare": lambda: bare(port, urls, args.concurrency),
                "pipeline": lambda: through_pipeline(context, urls, args.concurrency),
                "store in slot": lambda: store_in_slot(context, urls, args.concurrency),
                "queue + workers": lambda: through_workers(
                    context, urls, args.concurrency, args.site_interval
                ),
            }
            try:
                # Warm up both (imports, first connections), then start from a fresh state.
                await bare(port, urls[: args.concurrency], args.concurrency)
                await through_pipeline(context, urls[: args.concurrency], args.concurrency)
                rounds = []
                for number in range(1, args.rounds + 1):
                    order = ["bare", "pipeline"] if number % 2 else ["pipeline", "bare"]
                    if args.store_in_slot:
                        order.append("store in slot")
                    if not args.no_workers:
                        order.append("queue + workers")
                    samples = []
                    for name in order:
                        await fresh_state(context)
                        if name == "queue + workers":
                            await enqueue_all(context, urls, args.concurrency)
                        watched = profiler if name == "pipeline" else None
                        samples.append(await measure(name, len(urls), meter, runs[name], watched))
                    samples.sort(key=lambda s: list(runs).index(s.run))
                    print_round(number, samples)
                    rounds.append(samples)
            finally:
                await close_guarded_client(context)
                await context.client.drop_database(settings.db_name)
    print_summary(rounds)
    if profiler is not None:
        profiler.dump_stats(args.profile)
        print(f"profile of the pipeline runs: {args.profile} (the profiler slows them down)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=10)
    parser.add_argument("--pages", type=int, default=50, help="pages per site")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--latency-ms", type=float, default=0.0, help="each answer's delay")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--parser", choices=page_module.HEAD_PARSERS, default=page_module.DEFAULT_PARSER
    )
    parser.add_argument("--no-workers", action="store_true", help="skip the queue run")
    parser.add_argument(
        "--site-interval",
        type=float,
        default=0.0,
        help="the worker run's seconds between two requests to one site (politeness; 0: off)",
    )
    parser.add_argument(
        "--store-in-slot", action="store_true", help="also run crawl_page holding its slot"
    )
    parser.add_argument("--profile", metavar="FILE", help="cProfile the pipeline runs")
    asyncio.run(main(parser.parse_args()))
