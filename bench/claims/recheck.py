"""Benchmark: re-checking verified domain claims, one at a time versus concurrently.

Real parts: the embedded SecantusDB, Knot on loopback for DNS, and one local web server
answering every site after a fixed delay (standing in for the network). Half of the
claims still have their HTTPS file; the other half fail and start counting to a lapse.

    .venv/bin/python -m bench.claims.recheck [--claims 120] [--delay-ms 40]

Prints the time per run and the ratio against the sequential baseline measured in the
same run.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp import web
from bson import ObjectId

from crawlers.fetch import get_guarded_client
from registry_service.claims import store
from registry_service.claims.rechecks import recheck_due
from registry_service.claims.tokens import new_token
from registry_service.config import load_settings
from registry_service.store.lifecycle import open_context
from registry_service.store.schema import ensure_indexes
from tests.support.dns import running_dns_server

T0 = datetime(2026, 1, 5, tzinfo=UTC)


async def start_sites(tokens: dict[str, str], delay: float) -> tuple[web.AppRunner, int]:
    async def handle(request: web.Request) -> web.Response:
        await asyncio.sleep(delay)
        host = (request.host or "").split(":")[0]
        token = tokens.get(host)
        if token and request.path == "/.well-known/omniflattr-verification":
            return web.Response(text=token + "\n")
        return web.Response(status=404)

    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, runner.addresses[0][1]


async def seed(context, hosts: list[str]) -> dict[str, str]:
    tokens = {}
    for i, host in enumerate(hosts):
        token = new_token()
        claim_id = ObjectId()
        await context.db.claims.insert_one(
            {
                "_id": claim_id,
                "account_id": ObjectId(),
                "key": f"domain:{host}",
                "token": token,
                "status": "verified",
                "open": True,
                "created_at": T0,
                "verified_at": T0,
                "verified_method": "https_file",
                "verified_target": f"https://{host}/.well-known/omniflattr-verification",
                "next_check_at": T0,
                "consecutive_failures": 0,
                "escrow_released_at": T0,
            }
        )
        await store.insert_owner(
            context.db, store.owner_doc(f"domain:{host}", ObjectId(), claim_id, T0)
        )
        if i % 2 == 0:
            tokens[host] = token
    return tokens


async def main(claims: int, delay_ms: int) -> None:
    hosts = [f"bench-{i}.org" for i in range(claims)]
    with running_dns_server() as dns, tempfile.TemporaryDirectory() as tmp:
        tokens_holder: dict[str, str] = {}
        runner, port = await start_sites(tokens_holder, delay_ms / 1000)
        base = load_settings({"OMNIFLATTR_ENV": "test", "OMNIFLATTR_DATA_DIR": str(Path(tmp))})
        settings = dataclasses.replace(
            base,
            dns_nameservers=dns.nameservers,
            crawl_host_map={
                h: ("127.0.0.1", port) for host in hosts for h in (host, "www." + host)
            },
            db_name="bench_claims",
        )
        async with open_context(settings) as context:
            await ensure_indexes(context.db)
            tokens_holder.update(await seed(context, hosts))
            results = {}
            for concurrency in (1, 4, 8, 16):
                await context.db.claims.update_many(
                    {}, {"$set": {"next_check_at": T0, "consecutive_failures": 0}}
                )
                context.clock.fixed = T0 + timedelta(days=7)
                started = time.perf_counter()
                report = await recheck_due(context, concurrency=concurrency)
                elapsed = time.perf_counter() - started
                assert report.checked == claims, report
                results[concurrency] = elapsed
                print(
                    f"concurrency {concurrency:>2}: {claims} claims in {elapsed:6.2f} s "
                    f"({claims / elapsed:6.1f} claims/s; {report.passed} passed, "
                    f"{report.failed} failed) ratio vs sequential {results[1] / elapsed:4.1f}x",
                    flush=True,
                )
            await context.client.drop_database("bench_claims")
            await get_guarded_client(context).close()
        await runner.cleanup()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=120)
    parser.add_argument("--delay-ms", type=int, default=40)
    args = parser.parse_args()
    asyncio.run(main(args.claims, args.delay_ms))
