"""Where a server of the resolve benchmark spends its CPU under load (cProfile).

    .venv/bin/python bench/resolve/profile_server.py [MODE] [--seconds 8] [--top 40]

Starts the database and one server of `servers.py` (default `service`) with cProfile,
warms it for 3 s, profiles it under the benchmark's load for a while, stops it and prints
the functions by their own time and by cumulative time. cProfile slows Python down several
times, so read shares, not absolute figures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pstats
import shutil
import signal
import tempfile
from pathlib import Path

from run import database, drive, seed, server, urls_for


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", nargs="?", default="service")
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--urls", type=int, default=2000)
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    urls = urls_for(args.urls)
    with database() as (uri, _), tempfile.TemporaryDirectory() as tmp:
        asyncio.run(seed(uri, "bench_resolve", urls))
        stats = Path(tmp) / "server.prof"
        os.environ["BENCH_PROFILE"] = str(stats)
        with server(args.mode, uri, "bench_resolve") as (base, pid):
            drive(base, urls, args.connections, 3, Path(tmp))  # warm: caches, connections
            os.kill(pid, signal.SIGUSR1)
            result = drive(base, urls, args.connections, args.seconds, Path(tmp))
        del os.environ["BENCH_PROFILE"]
        print(f"{args.mode}: {result['rps']:.0f} req/s under the profiler")
        if os.environ.get("BENCH_PROFILE_KEEP"):
            shutil.copy(stats, os.environ["BENCH_PROFILE_KEEP"])
        profile = pstats.Stats(str(stats))
        profile.sort_stats("tottime").print_stats(args.top)
        profile.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
