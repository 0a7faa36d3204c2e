"""Pages per second through the crawl pipeline, next to a bare aiohttp client, same run.

    .venv/bin/python bench/crawl/run.py [--sites 10] [--pages 50] [--concurrency 16]

A local aiohttp server plays `--sites` sites (host map, as in tests) of realistic blog
pages (~90 KB, the signals in a ~45-tag head). Three runs over the same pages:

- bare: aiohttp.ClientSession GETs each page and reads the body (nothing else);
- pipeline: `crawl_page` for each page: robots.txt (cached), guarded fetch stopping at
  `</head>`, parse, per-site extras (funding.json, feed; cached), store in MongoDB;
- worker: the same through the queue: enqueue, lease, politeness slot, crawl, complete.

The database is MONGODB_URI if set, else an embedded SecantusDB started for the run.
The per-site politeness interval is 0 here: the bench measures the machinery, not the
deliberate delay between two requests to one site.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from crawlers import batched, pipeline, queue  # noqa: E402
from crawlers.extract import page as page_module  # noqa: E402
from crawlers.fetch import close_guarded_client  # noqa: E402
from crawlers.worker import Worker, WorkerOptions  # noqa: E402
from registry_service.config import load_settings  # noqa: E402
from registry_service.store.lifecycle import open_context  # noqa: E402
from registry_service.store.schema import ensure_indexes  # noqa: E402
from tests.support.sites import SiteServer, text_response  # noqa: E402
from tests.unit.crawlers import pages  # noqa: E402

SERVICE = "https://omniflattr.example.net"


def realistic_page(i: int) -> str:
    head_extra = "".join(
        f'<meta property="og:tag{n}" content="value {n} of page {i}">' for n in range(25)
    )
    paragraph = "<p>" + "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 12 + "</p>"
    body = paragraph * 120  # ~85 KB of body the pipeline never downloads
    return (
        pages.blog_post(SERVICE)
        .replace("</head>", head_extra + "</head>", 1)
        .replace("<article>", "<article>" + body, 1)
    )


def page_response(html: str, latency: float):
    body = html.encode()

    async def handler(request: web.Request) -> web.Response:
        if latency:
            await asyncio.sleep(latency)  # a site's time to first byte
        return web.Response(body=body, content_type="text/html")

    return handler


def build_server(sites: int, per_site: int, latency: float = 0.0) -> tuple[SiteServer, list[str]]:
    server = SiteServer()
    urls = []
    for s in range(sites):
        host = f"blog{s}.bench-site{s}.org"
        server.add(host, "/robots.txt", text_response("User-agent: *\nDisallow: /private/\n"))
        server.add(host, "/feed.xml", text_response(pages.BLOG_FEED, "application/rss+xml"))
        for p in range(per_site):
            path = f"/posts/{p}"
            server.add(host, path, page_response(realistic_page(p), latency))
            urls.append(f"https://{host}{path}")
    # Interleaved, as a crawler spreads its work over sites.
    urls.sort(key=lambda url: (int(url.rsplit("/", 1)[1]), url))
    return server, urls


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


async def bare(server: SiteServer, urls: list[str], concurrency: int) -> float:
    # The same connection limits as the guarded client, so only the work per page differs.
    connector = aiohttp.TCPConnector(limit=100, limit_per_host=8, resolver=LoopbackResolver())
    async with aiohttp.ClientSession(connector=connector) as session:

        async def fetch(url: str) -> None:
            host, path = url.split("/", 3)[2], "/" + url.split("/", 3)[3]
            async with session.get(f"http://{host}:{server.port}{path}") as response:
                await response.read()

        started = time.perf_counter()
        await bounded(concurrency, urls, fetch)
        return time.perf_counter() - started


async def through_pipeline(context, urls: list[str], concurrency: int) -> float:
    async def crawl(url: str) -> None:
        outcome = await pipeline.crawl_page(context, url)
        assert outcome.signals and outcome.signals["creators"], url

    started = time.perf_counter()
    await bounded(concurrency, urls, crawl)
    return time.perf_counter() - started


async def without_store(context, urls: list[str], concurrency: int) -> float:
    """For scale only: the pipeline with its database writes and reads skipped."""
    saved = batched.load_signals, batched.save_signals, batched.announce

    async def nothing(*args) -> None:
        return None

    async def changed(*args) -> bool:
        return True

    batched.load_signals, batched.save_signals, batched.announce = nothing, changed, nothing
    try:
        return await through_pipeline(context, urls, concurrency)
    finally:
        batched.load_signals, batched.save_signals, batched.announce = saved


async def through_workers(context, urls: list[str], concurrency: int) -> float:
    for url in urls:
        await queue.enqueue(context.db, url, reason="bench")
    stop = asyncio.Event()
    options = WorkerOptions(concurrency=concurrency, site_interval=0, idle_poll=0.01)
    worker = Worker(context, options)
    started = time.perf_counter()
    task = asyncio.create_task(worker.run(stop))
    while worker.stats.outcomes.get("crawled", 0) < len(urls):  # noqa: ASYNC110
        await asyncio.sleep(0.01)
    elapsed = time.perf_counter() - started
    stop.set()
    await task
    return elapsed


async def main(args: argparse.Namespace) -> None:
    page_module.DEFAULT_PARSER = args.parser
    server, urls = build_server(args.sites, args.pages, args.latency_ms / 1000)
    await server.start()
    data_dir = Path(tempfile.mkdtemp(prefix="omniflattr-bench-"))
    settings = dataclasses.replace(
        load_settings({"OMNIFLATTR_ENV": "test"}),
        mongodb_uri=os.environ.get("MONGODB_URI") or None,
        db_name=f"bench_{os.getpid()}",
        data_dir=data_dir,
        public_url=SERVICE,
        crawl_host_map=server.host_map(),
    )
    print(
        f"{len(urls)} pages on {args.sites} sites, concurrency {args.concurrency}, "
        f"site latency {args.latency_ms:g} ms, head parser {args.parser}"
    )
    async with open_context(settings) as context:
        await ensure_indexes(context.db)
        try:
            await bare(server, urls[: args.concurrency], args.concurrency)  # warm up
            rows = []
            for name, run in (
                ("bare aiohttp", lambda: bare(server, urls, args.concurrency)),
                ("pipeline", lambda: through_pipeline(context, urls, args.concurrency)),
                ("(no store)", lambda: without_store(context, urls, args.concurrency)),
            ):
                rows.append((name, await run()))
            await context.db.crawl_jobs.drop()
            await context.db.page_signals.drop()
            rows.append(("queue + workers", await through_workers(context, urls, args.concurrency)))
        finally:
            await close_guarded_client(context)
            await context.client.drop_database(settings.db_name)
    await server.stop()
    base = len(urls) / rows[0][1]
    for name, seconds in rows:
        rate = len(urls) / seconds
        print(f"{name:>16}: {rate:8.1f} pages/s  ({seconds:6.2f} s)  ratio {rate / base:5.2f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=10)
    parser.add_argument("--pages", type=int, default=50, help="pages per site")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--latency-ms", type=float, default=0.0, help="each page answers after this delay"
    )
    parser.add_argument("--parser", choices=("lxml", "bs4"), default="lxml")
    asyncio.run(main(parser.parse_args()))
