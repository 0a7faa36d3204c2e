"""Benchmark of GET /api/v1/resolve, cached and uncached, against bare baselines.

    .venv/bin/python bench/resolve/run.py [--seconds 10] [--connections 64] [--urls 2000]

In one run on this machine, each server in its own process, load from another process
(`wrk` when installed, else bench/resolve/load.py), the database in a third:

1. cached:   the real service with its resolver cache   vs  a bare aiohttp handler returning
             the same JSON (target: >= 0.6x its throughput, p99 < 10 ms)
2. uncached: the real service reading the database       vs  a bare handler doing one
             find_one per request (target: >= 0.7x)
3. the same uncached comparison without HTTP: `Resolver(cache=False).resolve()` vs `find_one`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from bench.database import free_port, own_database  # noqa: E402

LUA = """
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
"""


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer")
        time.sleep(0.1)


@contextlib.contextmanager
def database():
    with own_database("bench-resolve-") as (proc, uri):
        yield uri, proc.pid


@contextlib.contextmanager
def server(mode: str, uri: str, db_name: str, before: Path | None = None):
    """One server in its own process; `name@before` runs `name` from the `before` tree."""
    mode, _, other = mode.partition("@")
    root = before if other else ROOT
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "servers.py"), mode, str(port), uri, db_name],
        cwd=root,
        env={**os.environ, "BENCH_SOURCE": str(root)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{base}/api/v1/resolve?url=https%3A%2F%2Fwarm.example.org%2F")
        yield base, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def urls_for(count: int) -> list[str]:
    """Pages of 100 sites, as people browse them (several pages per site)."""
    return [f"https://www.example{i % 100}.org/posts/{i}" for i in range(count)]


async def seed(uri: str, db_name: str, urls: list[str]) -> None:
    from registry_service.store.database import open_client
    from registry_service.store.schema import ensure_indexes

    client = open_client(uri)
    db = client[db_name]
    await ensure_indexes(db)
    now = datetime.now(UTC)
    await db.page_signals.insert_many(
        [
            {"_id": u, "fetched_at": now, "status": 200, "creators": [], "platform_key": None}
            for u in urls
        ]
    )
    await client.close()


def parse_wrk(text: str) -> dict:
    def ms(value: str, unit: str) -> float:
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", text)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", text)
    total = int(re.search(r"(\d+) requests in", text).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    )
    return {
        "requests": total,
        "errors": (int(bad.group(1)) if bad else 0)
        + (sum(int(g) for g in errors.groups()) if errors else 0),
        "rps": rps,
        "p50_ms": ms(*p50.groups()),
        "p99_ms": ms(*p99.groups()),
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured(pids: dict[str, int], work) -> dict:
    """Run `work`, adding the CPU microseconds each process spent per request."""
    before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    result = work()
    for name, pid in pids.items():
        spent = cpu_seconds(pid) - before[name]
        result[f"{name}_cpu_us"] = spent / max(result["requests"], 1) * 1e6
    return result


def drive(base: str, urls: list[str], connections: int, seconds: float, workdir: Path) -> dict:
    wrk = shutil.which("wrk")
    if wrk:
        paths = workdir / "paths.txt"
        paths.write_text("\n".join(f"/api/v1/resolve?url={quote(u, safe='')}" for u in urls))
        script = workdir / "paths.lua"
        script.write_text(LUA)
        done = subprocess.run(
            [
                wrk,
                "-t1",
                f"-c{connections}",
                f"-d{int(seconds)}s",
                "--latency",
                "-s",
                str(script),
                base,
            ],
            env={**os.environ, "WRK_PATHS": str(paths)},
            capture_output=True,
            text=True,
            timeout=seconds + 60,
        )
        if "Requests/sec" not in done.stdout:
            raise RuntimeError(f"wrk failed: {done.stdout}\n{done.stderr}")
        return {**parse_wrk(done.stdout), "tool": "wrk"}
    url_file = workdir / "urls.txt"
    url_file.write_text("\n".join(urls))
    done = subprocess.run(
        [
            sys.executable,
            str(HERE / "load.py"),
            base,
            str(url_file),
            str(connections),
            str(seconds),
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    return {**json.loads(done.stdout), "tool": "aiohttp client"}


async def in_process(uri: str, db_name: str, urls: list[str], concurrency: int) -> dict:
    """Uncached resolve() against find_one, no HTTP, same client, same concurrency."""
    from registry_service.clock import Clock
    from registry_service.config import load_settings
    from registry_service.context import Context
    from registry_service.resolve.resolver import Resolver
    from registry_service.store.database import open_client

    client = open_client(uri)
    settings = dataclasses.replace(
        load_settings({"OMNIFLATTR_ENV": "test"}), mongodb_uri=uri, db_name=db_name
    )
    context = Context(settings, Clock(), client, client[db_name])
    resolver = Resolver(context, cache=False, owner_cache=True)

    async def rate(call) -> float:
        gate = asyncio.Semaphore(concurrency)

        async def one(u):
            async with gate:
                await call(u)

        started = time.perf_counter()
        await asyncio.gather(*(one(u) for u in urls))
        return len(urls) / (time.perf_counter() - started)

    await rate(lambda u: resolver.resolve(u, crawl=False))  # warm up connections
    raw = await rate(lambda u: context.db.page_signals.find_one({"_id": u}))
    resolved = await rate(lambda u: resolver.resolve(u, crawl=False))
    await client.close()
    return {"raw_find_per_s": raw, "resolve_per_s": resolved}


NAMES = {
    "bare": "bare aiohttp handler, same JSON",
    "service": "service, resolver cache",
    "service-stub": "service, constant resolver",
    "rawfind": "bare handler + one find_one",
    "service-uncached": "service, no answer cache",
    "service-nocache": "service, no cache at all",
}
PARTS = {
    "cached": ("bare", "service"),
    "uncached": ("rawfind", "service-uncached", "service-nocache"),
}
# (label, subject, baseline, target ratio, whose CPU counts: the database works only uncached)
COMPARISONS = (
    ("cached / bare", "service", "bare", 0.6, ("server",)),
    ("constant resolver / bare", "service-stub", "bare", None, ("server",)),
    ("uncached / raw find", "service-uncached", "rawfind", 0.7, ("server", "db")),
    ("nothing cached / raw find", "service-nocache", "rawfind", None, ("server", "db")),
)
P99_TARGET_MS = 10.0


def row(name: str, result: dict) -> str:
    return (
        f"  {name:<34} {result['rps']:>9.0f} req/s   p50 {result['p50_ms']:6.2f} ms"
        f"   p99 {result['p99_ms']:6.2f} ms   CPU/request: server {result['server_cpu_us']:5.0f} us"
        f" + database {result['db_cpu_us']:5.0f} us   (load {result['load']:.1f}; "
        f"{result['requests']} requests, {result['errors']} errors, {result['tool']})"
    )


def wait_for_quiet(below: float, longest: float) -> None:
    """Wait for the other work on this machine to calm down (checked every minute)."""
    deadline = time.monotonic() + longest
    while (load := os.getloadavg()[0]) >= below and time.monotonic() < deadline:
        print(f"load average {load:.2f} >= {below}: waiting a minute", flush=True)
        time.sleep(60)


def median(values: list[float]) -> float:
    return statistics.median(values)


def merged(runs: list[dict]) -> dict:
    """The median round of one server (by throughput), with the total request count."""
    middle = sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]
    return {
        **middle,
        "requests": sum(r["requests"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
    }


def compare(runs: dict[str, list[dict]]) -> None:
    """Per-round ratios (the rounds interleave, so a round's servers shared its load)."""
    results = {mode: merged(r) for mode, r in runs.items()}
    comparisons = list(COMPARISONS)
    comparisons += [
        (f"{label} (before)", f"{subject}@before", baseline, target, who)
        for label, subject, baseline, target, who in COMPARISONS
    ]
    for label, subject, baseline, target, who in comparisons:
        if subject not in runs or baseline not in runs:
            continue
        pairs = list(zip(runs[subject], runs[baseline], strict=True))
        rps = [s["rps"] / b["rps"] for s, b in pairs]
        cpu = [
            sum(b[f"{w}_cpu_us"] for w in who) / sum(s[f"{w}_cpu_us"] for w in who)
            for s, b in pairs
        ]
        cost = sum(results[subject][f"{w}_cpu_us"] for w in who)
        base = sum(results[baseline][f"{w}_cpu_us"] for w in who)
        line = (
            f"{label:<27} throughput {median(rps):.2f}x (rounds {min(rps):.2f}-{max(rps):.2f})"
            f"   CPU/request {base:.0f} / {cost:.0f} us = {median(cpu):.2f}x"
            f" (rounds {min(cpu):.2f}-{max(cpu):.2f})"
        )
        if target is not None:
            p99 = results[subject]["p99_ms"]
            cached = subject.partition("@")[0] == "service"
            met = median(rps) >= target and (not cached or p99 < P99_TARGET_MS)
            goal = f">= {target}x"
            if cached:
                goal += f", p99 < {P99_TARGET_MS:.0f} ms"
            line += f"   p99 {p99:.1f} ms vs {results[baseline]['p99_ms']:.1f} ms"
            line += f"   (target {goal}: {'ok' if met else 'MISSED'})"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--urls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (median)")
    parser.add_argument("--part", choices=("all", *PARTS), default="all")
    parser.add_argument(
        "--stack", action="store_true", help="also measure the HTTP stack with a constant resolver"
    )
    parser.add_argument(
        "--quiet-below",
        type=float,
        default=0,
        help="first wait (up to --quiet-wait s) for the 1-minute load average to drop below this",
    )
    parser.add_argument("--quiet-wait", type=float, default=1200)
    parser.add_argument(
        "--before",
        type=Path,
        help="the source tree of an earlier revision (git archive REV | tar -x -C DIR): its "
        "service is measured too, in the same rounds",
    )
    args = parser.parse_args()
    urls = urls_for(args.urls)
    modes = [m for part, ms in PARTS.items() if args.part in ("all", part) for m in ms]
    if args.stack:
        modes.insert(2, "service-stub")
    if args.before:
        modes += [f"{m}@before" for m in modes if m.startswith("service")]
    runs: dict[str, list[dict]] = {m: [] for m in modes}
    direct: list[dict] = []
    if args.quiet_below:
        wait_for_quiet(args.quiet_below, args.quiet_wait)
    load_before = os.getloadavg()
    with database() as (uri, db_pid), tempfile.TemporaryDirectory() as tmp:
        db_name = "bench_resolve"
        asyncio.run(seed(uri, db_name, urls))
        workdir = Path(tmp)
        # Rounds interleave the servers, so that the neighbours' load hits them alike.
        for round_no in range(1, args.rounds + 1):
            for mode in runs:
                print(f"round {round_no}/{args.rounds}: {mode} ...", flush=True)
                with server(mode, uri, db_name, args.before) as (base, pid):
                    if mode.partition("@")[0] == "service":  # fill the cache first
                        drive(base, urls, args.connections, 3, workdir)
                    load = os.getloadavg()[0]
                    runs[mode].append(
                        measured(
                            {"server": pid, "db": db_pid},
                            lambda b=base: drive(b, urls, args.connections, args.seconds, workdir),
                        )
                        | {"load": load}
                    )
            if "rawfind" in runs:
                print(f"round {round_no}/{args.rounds}: in-process resolve() vs find_one ...")
                direct.append(asyncio.run(in_process(uri, db_name, urls, 16)))
    load_after = os.getloadavg()
    print()
    print(
        f"GET /api/v1/resolve, {args.connections} connections, {args.rounds} interleaved "
        f"rounds of {args.seconds:.0f} s per server, {len(urls)} distinct URLs, "
        f"{os.cpu_count()} cores"
    )
    print(
        f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} "
        "(other work on this machine shares the cores; each row shows it at its start)"
    )
    print("median round per server:")
    for mode, result in runs.items():
        name, _, other = mode.partition("@")
        print(row(NAMES[name] + (" (before)" if other else ""), merged(result)))
    if direct:
        print(
            f"  in-process, concurrency 16: find_one "
            f"{median([d['raw_find_per_s'] for d in direct]):.0f}/s, uncached resolve() "
            f"{median([d['resolve_per_s'] for d in direct]):.0f}/s = "
            f"{median([d['resolve_per_s'] / d['raw_find_per_s'] for d in direct]):.2f}x"
        )
    print()
    print("ratios (medians of the per-round ratios; CPU per request is read from /proc, server")
    print("only when cached, server + database when not: on a saturated CPU its ratio is the")
    print("throughput ratio, and it depends far less on the neighbours' load):")
    compare(runs)


if __name__ == "__main__":
    main()
