"""Settlement and flattr benchmarks, each next to a baseline measured in the same run.

    .venv/bin/python bench/settle/run.py                 # 10k and 100k funders × 20 flattrs
    .venv/bin/python bench/settle/run.py --funders 2000  # a quick run

1. Settlement of a month versus a bare aggregate over the same flattrs
   (targets: ≤ 3× the aggregate; ≤ 11× the time for 10× the data).
2. POST /api/v1/flattrs on `omniflattr serve` versus a bare aiohttp handler doing one
   raw insert, same database, same load (target: ≥ 0.6×).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.database import free_port, own_database  # noqa: E402
from bench.settle.load import MONTH, load_funders_with_tokens, load_month, thing_urls  # noqa: E402
from registry_service.clock import Clock  # noqa: E402
from registry_service.config import load_settings  # noqa: E402
from registry_service.context import Context  # noqa: E402
from registry_service.ledger import settlement  # noqa: E402
from registry_service.store.database import open_client as _open_client  # noqa: E402
from registry_service.store.schema import ensure_indexes  # noqa: E402


def open_client(uri: str):
    # Long timeouts: a busy embedded server may answer its monitor slowly mid-benchmark.
    return _open_client(uri, connectTimeoutMS=120_000, serverSelectionTimeoutMS=120_000)


async def wait_db(uri: str) -> None:
    client = open_client(uri)
    for _ in range(600):
        try:
            await client.admin.command("ping")
            break
        except Exception:
            await asyncio.sleep(0.1)
    await client.close()


async def bench_settlement(uri: str, funders: int, per_funder: int, things: int) -> dict:
    settings = dataclasses.replace(
        load_settings({"OMNIFLATTR_ENV": "test"}), mongodb_uri=uri, db_name=f"settle_{funders}"
    )
    client = open_client(uri)
    context = Context(
        settings, Clock(datetime(2026, 11, 2, tzinfo=UTC)), client, client[settings.db_name]
    )
    await client.drop_database(settings.db_name)
    await ensure_indexes(context.db)
    started = time.perf_counter()
    await load_month(context.db, funders, per_funder, things)
    load_s = time.perf_counter() - started

    started = time.perf_counter()
    cursor = await context.db.flattrs.aggregate(
        [
            {"$match": {"month": MONTH}},
            {"$group": {"_id": "$funder", "weights": {"$sum": "$weight"}, "flattrs": {"$sum": 1}}},
        ]
    )
    groups = len(await cursor.to_list(None))
    aggregate_s = time.perf_counter() - started
    assert groups == funders

    started = time.perf_counter()
    summary = await settlement.settle(context, MONTH, batch_size=1000)
    settle_s = time.perf_counter() - started
    assert summary["funders"] == funders, summary
    await client.drop_database(settings.db_name)
    await client.close()
    return {
        "funders": funders,
        "flattrs": funders * per_funder,
        "load_s": load_s,
        "aggregate_s": aggregate_s,
        "settle_s": settle_s,
        "ratio": settle_s / aggregate_s,
    }


def wait_http(url: str, proc, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.returncode is not None:
            raise RuntimeError(f"{url} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not become ready")


async def drive(
    base: str, tokens: list[str], urls: list[str], requests: int, concurrency: int, seed: int
) -> float:
    """Requests per second of POST /api/v1/flattrs under `concurrency` clients."""
    rng = random.Random(seed)
    jobs = [(rng.choice(tokens), rng.choice(urls), rng.randint(1, 5)) for _ in range(requests)]
    queue: asyncio.Queue = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)
    statuses: dict[int, int] = {}

    async def worker(session: aiohttp.ClientSession) -> None:
        while not queue.empty():
            token, url, weight = queue.get_nowait()
            async with session.post(
                base + "/api/v1/flattrs",
                json={"url": url, "weight": weight},
                headers={"Authorization": f"Bearer {token}"},
            ) as resp:
                await resp.read()
                statuses[resp.status] = statuses.get(resp.status, 0) + 1

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    bad = {s: n for s, n in statuses.items() if s not in (200, 201)}
    if bad:
        raise RuntimeError(f"unexpected statuses {bad}")
    return requests / elapsed


async def bench_flattrs(
    uri: str,
    requests: int,
    concurrency: int,
    funders: int,
    things: int,
    db_pid: int,
    pool_size: int | None = None,
) -> dict:
    db_name = "flattr_bench"
    client = open_client(uri)
    await client.drop_database(db_name)
    await ensure_indexes(client[db_name])
    tokens = await load_funders_with_tokens(client[db_name], funders)
    await client.close()
    urls = thing_urls(things)
    # Both servers talk to the database with the same connection pool.
    server_uri = f"{uri}&maxPoolSize={pool_size}" if pool_size else uri
    data_dir = tempfile.mkdtemp(prefix="omniflattr-bench-")
    results = {}
    for name in ("bare", "omniflattr"):
        port = free_port()
        if name == "bare":
            cmd = [
                sys.executable,
                str(Path(__file__).with_name("bare_server.py")),
                server_uri,
                db_name,
                str(port),
            ]
        else:
            cmd = [sys.executable, "-m", "registry_service", "serve", "--no-crawler"]
        env = {k: v for k, v in os.environ.items() if not k.startswith("OMNIFLATTR_")}
        env.update(
            MONGODB_URI=server_uri,
            OMNIFLATTR_DB_NAME=db_name,
            OMNIFLATTR_PORT=str(port),
            OMNIFLATTR_DATA_DIR=data_dir,
            PYTHONPATH=str(ROOT),
        )
        log_path = Path(data_dir) / f"{name}.log"
        log_file = open(log_path, "wb")  # noqa: SIM115, ASYNC230 - closed below
        proc = await asyncio.create_subprocess_exec(
            *cmd, env=env, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT
        )
        try:
            base = f"http://127.0.0.1:{port}"
            await asyncio.to_thread(wait_http, base, proc)
            # Warm up (a running service has warm caches), start from empty months, measure.
            await drive(base, tokens, urls, requests, concurrency, seed=5)
            await reset_month(uri, db_name)
            cpu, db_cpu = process_cpu_s(proc.pid), process_cpu_s(db_pid)
            ops = await opcounters(uri)
            results[name] = await drive(base, tokens, urls, requests, concurrency, seed=11)
            results[name + "_cpu_ms"] = (process_cpu_s(proc.pid) - cpu) * 1000 / requests
            results[name + "_db_ms"] = (process_cpu_s(db_pid) - db_cpu) * 1000 / requests
            after = await opcounters(uri)
            results[name + "_ops"] = {
                op: round((after[op] - ops.get(op, 0)) / requests, 2)
                for op in after
                if after[op] != ops.get(op, 0)
            }
        except RuntimeError:
            errors = [line for line in log_path.read_text().splitlines() if "Error" in line]
            print(f"{name} failed; its log says:", *errors[-10:], sep="\n", flush=True)
            raise
        finally:
            proc.terminate()
            await asyncio.wait_for(proc.wait(), 15)
            log_file.close()
        await reset_month(uri, db_name)
    shutil.rmtree(data_dir, ignore_errors=True)
    return {
        "bare_cpu_ms": results["bare_cpu_ms"],
        "bare_db_ms": results["bare_db_ms"],
        "omniflattr_db_ms": results["omniflattr_db_ms"],
        "omniflattr_cpu_ms": results["omniflattr_cpu_ms"],
        "bare_rps": results["bare"],
        "omniflattr_rps": results["omniflattr"],
        "ratio": results["omniflattr"] / results["bare"],
        "bare_ops": results["bare_ops"],
        "omniflattr_ops": results["omniflattr_ops"],
    }


async def opcounters(uri: str) -> dict[str, int]:
    """The database's command counters (serverStatus), less this call's own."""
    client = open_client(uri)
    try:
        status = await client.admin.command("serverStatus")
    finally:
        await client.close()
    counters = {op: int(n) for op, n in status.get("opcounters", {}).items()}
    counters["connections"] = int(status.get("connections", {}).get("totalCreated", 0))
    return counters


def process_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def reset_month(uri: str, db_name: str) -> None:
    client = open_client(uri)
    await client[db_name].flattrs.delete_many({})
    await client[db_name].month_fences.delete_many({})
    await client[db_name].bare_flattrs.delete_many({})
    await client.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--funders", default="10000,100000")
    parser.add_argument("--per-funder", type=int, default=20)
    parser.add_argument("--things", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--skip-settle", action="store_true")
    parser.add_argument("--skip-flattrs", action="store_true")
    parser.add_argument(
        "--pool-size",
        type=int,
        help="maxPoolSize of both flattr servers' database clients (default: PyMongo's)",
    )
    args = parser.parse_args()
    with own_database("omniflattr-bench-db-") as (proc, uri):
        await wait_db(uri)
        if not args.skip_settle:
            rows = []
            for funders in [int(x) for x in args.funders.split(",")]:
                row = await bench_settlement(uri, funders, args.per_funder, args.things)
                rows.append(row)
                print(
                    f"settle {row['funders']:>7} funders ({row['flattrs']} flattrs): "
                    f"aggregate {row['aggregate_s']:.2f} s, settlement {row['settle_s']:.2f} s"
                    f" -> {row['ratio']:.2f}x the aggregate (target <= 3x); "
                    f"bulk load {row['load_s']:.1f} s",
                    flush=True,
                )
            if len(rows) > 1:
                scale = rows[-1]["settle_s"] / rows[0]["settle_s"]
                data = rows[-1]["funders"] / rows[0]["funders"]
                print(
                    f"settle scaling: {data:.0f}x the data took {scale:.2f}x the time "
                    f"(target <= {data * 1.1:.0f}x)",
                    flush=True,
                )
        if not args.skip_flattrs:
            result = await bench_flattrs(
                uri, args.requests, args.concurrency, 200, 300, proc.pid, args.pool_size
            )
            print(
                f"flattr POST: omniflattr {result['omniflattr_rps']:.0f}/s, bare insert "
                f"{result['bare_rps']:.0f}/s -> {result['ratio']:.2f}x (target >= 0.6x); "
                f"CPU per request: service {result['omniflattr_cpu_ms']:.2f} ms + database "
                f"{result['omniflattr_db_ms']:.2f} ms, bare {result['bare_cpu_ms']:.2f} ms + "
                f"{result['bare_db_ms']:.2f} ms",
                flush=True,
            )
            print(
                f"database commands per request: omniflattr {result['omniflattr_ops']}, "
                f"bare {result['bare_ops']}",
                flush=True,
            )


if __name__ == "__main__":
    asyncio.run(main())
