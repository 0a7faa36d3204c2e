"""Where a settlement spends its time: database commands by name, and a client-side profile.

    .venv/bin/python bench/settle/trace_settle.py --funders 2000 [--cprofile]

Starts its own SecantusDB process, bulk-loads the synthetic month (as run.py does),
settles it with a command listener counting each round trip and the time it took.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import dataclasses
import pstats
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from pymongo import monitoring

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.database import own_database  # noqa: E402
from bench.settle.load import MONTH, load_month  # noqa: E402
from bench.settle.run import open_client, wait_db  # noqa: E402
from registry_service.clock import Clock  # noqa: E402
from registry_service.config import load_settings  # noqa: E402
from registry_service.context import Context  # noqa: E402
from registry_service.ledger import settlement  # noqa: E402
from registry_service.store.schema import ensure_indexes  # noqa: E402


class Tally(monitoring.CommandListener):
    """Round trips and server time per (command, collection)."""

    def __init__(self) -> None:
        self.on = False
        self.names: dict[int, str] = {}
        self.count: dict[str, int] = defaultdict(int)
        self.seconds: dict[str, float] = defaultdict(float)

    def started(self, event) -> None:
        if self.on:
            target = event.command.get(event.command_name)
            name = f"{event.command_name} {target if isinstance(target, str) else ''}".strip()
            if event.command_name == "aggregate":
                first = (event.command.get("pipeline") or [{}])[0]
                name += " " + str(first)[:50]
            self.names[event.request_id] = name

    def _done(self, event) -> None:
        name = self.names.pop(event.request_id, None)
        if name:
            self.count[name] += 1
            self.seconds[name] += event.duration_micros / 1e6

    succeeded = failed = _done

    def report(self, per: int) -> None:
        total = sum(self.count.values())
        print(f"{total} round trips ({total / per:.2f} each)")
        for name in sorted(self.seconds, key=self.seconds.get, reverse=True):
            print(f"  {name:40} {self.count[name]:>7}  {self.seconds[name]:8.2f} s")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--funders", type=int, default=2000)
    parser.add_argument("--cprofile", action="store_true")
    args = parser.parse_args()
    with own_database("omniflattr-prof-db-") as (_, uri):
        tally = Tally()
        monitoring.register(tally)
        await wait_db(uri)
        settings = dataclasses.replace(
            load_settings({"OMNIFLATTR_ENV": "test"}), mongodb_uri=uri, db_name="prof"
        )
        client = open_client(uri)
        context = Context(
            settings, Clock(datetime(2026, 11, 2, tzinfo=UTC)), client, client[settings.db_name]
        )
        await ensure_indexes(context.db)
        await load_month(context.db, args.funders, 20, 2000)
        tally.on = True
        profiler = cProfile.Profile() if args.cprofile else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        await settlement.settle(context, MONTH, batch_size=1000)
        if profiler:
            profiler.disable()
        print(f"settle: {time.perf_counter() - started:.2f} s")
        tally.on = False
        tally.report(args.funders)
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        await client.close()


if __name__ == "__main__":
    asyncio.run(main())
