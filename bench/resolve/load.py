"""A load generator in its own process: N concurrent keep-alive connections for D seconds.

    python bench/resolve/load.py BASE_URL URL_FILE CONNECTIONS SECONDS

Prints one JSON object: requests, errors, rps, p50_ms, p99_ms. Used when `wrk` is absent.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

import aiohttp


async def run(base: str, urls: list[str], connections: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=connections, force_close=False)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker(offset: int) -> None:
            nonlocal errors
            i = offset
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    async with session.get(
                        base + "/api/v1/resolve", params={"url": urls[i % len(urls)]}
                    ) as resp:
                        await resp.read()
                        if resp.status != 200:
                            errors += 1
                except aiohttp.ClientError:
                    errors += 1
                latencies.append(time.perf_counter() - started)
                i += connections

        started = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(connections)))
        elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000

    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
    }


def main() -> None:
    base, url_file, connections, seconds = sys.argv[1:5]
    urls = [line for line in Path(url_file).read_text().splitlines() if line]
    print(json.dumps(asyncio.run(run(base, urls, int(connections), float(seconds)))))


if __name__ == "__main__":
    main()
