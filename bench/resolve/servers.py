"""The HTTP servers the resolve benchmark compares, each run in its own process.

    python bench/resolve/servers.py MODE PORT MONGODB_URI DB_NAME

service            the real application, resolver cache on (rate limits lifted)
service-uncached   the real application without its answer cache: every URL's signals are
                   read from the database (key owners remembered until a change)
service-nocache    the real application remembering nothing: every query every time
service-stub       the real application whose resolver answers a constant at once: the
                   cost of the shared HTTP stack (middlewares, auth, rate limit, validation)
bare               a bare aiohttp handler returning the same JSON as a resolution
rawfind            a bare aiohttp handler doing one find_one on page_signals per request

The service modes run as `omniflattr serve` does: the access log written (to stderr, which
the benchmark discards), metrics and the error model on. Environment:

BENCH_SOURCE   the source tree to import the service from (default: this one); run.py's
               `--before` measures an earlier revision with the same servers
BENCH_PROFILE  a file to write cProfile statistics to: from SIGUSR1 (sent once warm) to the
               end of the run (SIGTERM)
"""

from __future__ import annotations

import cProfile
import dataclasses
import logging
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, os.environ.get("BENCH_SOURCE") or str(Path(__file__).resolve().parents[2]))

from aiohttp import web

from registry_service.config import load_settings
from registry_service.store.database import open_client


def resolution_json(url: str) -> dict:
    """The shape GET /resolve answers for an unclaimed page (same size on the wire)."""
    return {
        "url": url,
        "normalized": url,
        "key": "domain:example.org",
        "keys": ["domain:example.org"],
        "source": "domain",
        "pending": False,
        "claimed": False,
        "declined": False,
        "creator": None,
    }


def bare_app() -> web.Application:
    async def handler(request: web.Request) -> web.Response:
        return web.json_response(resolution_json(request.query["url"]))

    app = web.Application()
    app.router.add_get("/api/v1/resolve", handler)
    return app


def rawfind_app(uri: str, db_name: str) -> web.Application:
    client = open_client(uri)
    db = client[db_name]

    async def handler(request: web.Request) -> web.Response:
        url = request.query["url"]
        doc = await db.page_signals.find_one({"_id": url}, {"creators": 1, "status": 1})
        body = resolution_json(url)
        body["pending"] = doc is None
        return web.json_response(body)

    app = web.Application()
    app.router.add_get("/api/v1/resolve", handler)
    return app


class _ConstantResolver:
    async def watch(self, stop) -> None:
        await stop.wait()

    async def resolve(self, url: str, **kwargs):
        from registry_service.resolve.resolver import Resolution

        body = resolution_json(url)
        return Resolution(**{**body, "keys": tuple(body["keys"])})


def stub_app(uri: str, db_name: str) -> web.Application:
    from registry_service.resolve import routes

    app = service_app(uri, db_name, cache=True, owners=True)
    routes.get_resolver = lambda context: _ConstantResolver()
    return app


def service_app(uri: str, db_name: str, *, cache: bool, owners: bool) -> web.Application:
    from registry_service.api.state import CONTEXT
    from registry_service.app import create_app
    from registry_service.resolve import resolver, routes

    for limit in (routes.RESOLVE_LIMIT, routes.BATCH_LIMIT):
        limit.rate = limit.burst = 10**9
    settings = dataclasses.replace(
        load_settings({"OMNIFLATTR_ENV": "test"}), mongodb_uri=uri, db_name=db_name
    )
    app = create_app(settings, run_crawler=False)
    if not cache:

        async def uncached(app: web.Application):
            context = app[CONTEXT]
            context.services[resolver.SERVICE_NAME] = resolver.Resolver(
                context, cache=False, owner_cache=owners
            )
            yield

        app.cleanup_ctx.insert(1, uncached)  # after the database opens, before the watcher
    return app


def main() -> None:
    mode, port, uri, db_name = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    apps = {
        "service": lambda: service_app(uri, db_name, cache=True, owners=True),
        "service-uncached": lambda: service_app(uri, db_name, cache=False, owners=True),
        "service-nocache": lambda: service_app(uri, db_name, cache=False, owners=False),
        "service-stub": lambda: stub_app(uri, db_name),
        "bare": bare_app,
        "rawfind": lambda: rawfind_app(uri, db_name),
    }
    options: dict = {"access_log": None}  # the baselines: a handler and nothing else
    if mode.startswith("service"):
        from registry_service.logs import AccessLogger, configure_logging

        configure_logging()
        options = {
            "access_log": logging.getLogger("omniflattr.access"),
            "access_log_class": AccessLogger,
        }
    app = apps[mode]()
    profile = os.environ.get("BENCH_PROFILE")
    profiler = cProfile.Profile() if profile else None
    if profiler:
        signal.signal(signal.SIGUSR1, lambda *_: profiler.enable())
    gc_log = os.environ.get("BENCH_GC_LOG")
    if gc_log:
        import gc
        import time

        pauses: list[tuple[int, float, float]] = []
        started = [0.0]

        def timed(phase: str, info: dict) -> None:
            if phase == "start":
                started[0] = time.perf_counter()
            else:
                pause = time.perf_counter() - started[0]
                pauses.append((info["generation"], pause, time.monotonic()))

        gc.callbacks.append(timed)
    web.run_app(app, host="127.0.0.1", port=port, print=None, **options)
    if gc_log:
        lines = (f"{g} {s * 1000:.3f} {t:.2f}" for g, s, t in pauses)
        Path(gc_log).write_text("\n".join(lines))
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)


if __name__ == "__main__":
    main()
