"""Database round trips of POST /api/v1/flattrs on a warm service, by command.

    .venv/bin/python bench/settle/trace_flattr.py [--requests 400] [--cprofile]

The whole app in this process (aiohttp test server), its own SecantusDB process.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import dataclasses
import pstats
import random
import sys
import time
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer
from pymongo import monitoring

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.database import own_database  # noqa: E402
from bench.settle.load import load_funders_with_tokens, thing_urls  # noqa: E402
from bench.settle.run import open_client, wait_db  # noqa: E402
from bench.settle.trace_settle import Tally  # noqa: E402
from registry_service.app import create_app  # noqa: E402
from registry_service.config import load_settings  # noqa: E402
from registry_service.store.schema import ensure_indexes  # noqa: E402


async def post_all(
    client: TestClient, jobs: list[tuple[str, str, int]], concurrency: int = 1
) -> None:
    queue = list(reversed(jobs))

    async def worker() -> None:
        while queue:
            token, url, weight = queue.pop()
            resp = await client.post(
                "/api/v1/flattrs",
                json={"url": url, "weight": weight},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert resp.status in (200, 201), await resp.text()

    await asyncio.gather(*(worker() for _ in range(concurrency)))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--cprofile", action="store_true")
    args = parser.parse_args()
    with own_database("omniflattr-prof-db-") as (_, uri):
        tally = Tally()
        monitoring.register(tally)
        await wait_db(uri)
        settings = dataclasses.replace(
            load_settings({"OMNIFLATTR_ENV": "test"}), mongodb_uri=uri, db_name="prof"
        )
        setup = open_client(uri)
        await ensure_indexes(setup[settings.db_name])
        tokens = await load_funders_with_tokens(setup[settings.db_name], 200)
        await setup.close()
        urls = thing_urls(300)
        rng = random.Random(3)
        # Warm: every token and every page seen once (a running service has warm caches).
        warm = [(tokens[i % len(tokens)], url, 1) for i, url in enumerate(urls)]
        warm += [(token, urls[0], 1) for token in tokens]
        jobs = [(rng.choice(tokens), rng.choice(urls), 2) for _ in range(args.requests)]
        warm += [(rng.choice(tokens), rng.choice(urls), 1) for _ in range(args.requests)]
        client = TestClient(TestServer(create_app(settings, run_crawler=False)))
        await client.start_server()
        try:
            await post_all(client, warm)
            tally.on = True
            profiler = cProfile.Profile() if args.cprofile else None
            if profiler:
                profiler.enable()
            started = time.perf_counter()
            await post_all(client, jobs, args.concurrency)
            elapsed = time.perf_counter() - started
            if profiler:
                profiler.disable()
            tally.on = False
            print(f"{args.requests / elapsed:.0f} requests/s, {args.concurrency} clients")
            tally.report(args.requests)
            if profiler:
                pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        finally:
            await client.close()


if __name__ == "__main__":
    asyncio.run(main())
