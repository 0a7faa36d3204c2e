"""The benchmark's web: one aiohttp server process playing many blogs.

    .venv/bin/python -m bench.crawl.sites --sites 10 --pages 50 --latency-ms 50

It prints `{"port": N, "pid": P}` on one line once it listens, and serves until its
standard input closes. It runs in its own process, as real sites run on other machines:
its CPU is not the crawler's, and it is the same server for the bare client and the
pipeline. Every answer (pages, robots.txt, the feed, 404s) waits `--latency-ms` first,
as a site's time to first byte.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys

from aiohttp import web

from tests.support.sites import SiteServer, text_response
from tests.unit.crawlers import pages

SERVICE = "https://omniflattr.example.net"


def realistic_page(i: int) -> str:
    """A ~90 KB blog post whose head holds the signals among ~45 other tags."""
    head_extra = "".join(
        f'<meta property="og:tag{n}" content="value {n} of page {i}">' for n in range(25)
    )
    paragraph = "<p>" + "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 12 + "</p>"
    body = paragraph * 120  # ~85 KB of body below the head
    return (
        pages.blog_post(SERVICE)
        .replace("</head>", head_extra + "</head>", 1)
        .replace("<article>", "<article>" + body, 1)
    )


def host_of(site: int) -> str:
    return f"blog{site}.bench-site{site}.org"


def page_urls(sites: int, per_site: int) -> list[str]:
    """Every page, the sites interleaved (as a crawler spreads its work over sites)."""
    return [f"https://{host_of(s)}/posts/{p}" for p in range(per_site) for s in range(sites)]


def page_response(html: str):
    body = html.encode()

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="text/html")

    return handler


def build_server(sites: int, per_site: int, latency: float) -> SiteServer:
    server = SiteServer(latency=latency)
    for s in range(sites):
        host = host_of(s)
        server.add(host, "/robots.txt", text_response("User-agent: *\nDisallow: /private/\n"))
        server.add(host, "/feed.xml", text_response(pages.BLOG_FEED, "application/rss+xml"))
        for p in range(per_site):
            server.add(host, f"/posts/{p}", page_response(realistic_page(p)))
    return server


async def serve(args: argparse.Namespace) -> None:
    server = build_server(args.sites, args.pages, args.latency_ms / 1000)
    server.keep_log = False  # a long benchmark must not keep every request's headers
    await server.start()
    print(json.dumps({"port": server.port, "pid": os.getpid()}), flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)  # until the benchmark closes our stdin
    await server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=10)
    parser.add_argument("--pages", type=int, default=50, help="pages per site")
    parser.add_argument("--latency-ms", type=float, default=0.0)
    asyncio.run(serve(parser.parse_args()))
