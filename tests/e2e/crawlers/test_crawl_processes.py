"""`omniflattr crawl` processes sharing one queue; a worker killed mid-job; `serve`'s worker."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys

import pytest
from aiohttp import web

from crawlers import queue
from tests.support.service import ROOT, running_service, service_env
from tests.support.sites import SiteServer, html_response
from tests.unit.crawlers import pages

PAGES = [f"https://site{i % 8}.example.org/page{i}" for i in range(40)]
HANG_URL = "https://hang.example.com/video"


class Hang:
    first = True


async def hang_once(request: web.Request) -> web.Response:
    if Hang.first:
        Hang.first = False
        await asyncio.sleep(60)  # the first worker is killed while it waits here
    return web.Response(text=pages.HOME_PAGE, content_type="text/html")


@pytest.fixture(scope="module")
async def web_for_workers():
    server = SiteServer()
    for url in PAGES:
        host, path = url.split("/", 3)[2], "/" + url.split("/", 3)[3]
        server.add(host, path, html_response(pages.HOME_PAGE))
    server.add("hang.example.com", "/video", hang_once)
    await server.start()
    yield server
    await server.stop()


def start_worker(env: dict, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "registry_service", "crawl", "--lease-seconds", "2",
         "--site-interval", "0", "--idle-poll", "0.1", *extra],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def until_started(proc: subprocess.Popen) -> str:
    """The worker's output up to its start line (it polls the queue from then on)."""
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if "slot(s)" in line:
            return "".join(lines)
    raise AssertionError("the worker exited before starting: " + "".join(lines))


def worker_env(settings, server: SiteServer, tmp_path) -> dict:
    return service_env(
        tmp_path,
        0,
        {
            "MONGODB_URI": settings.mongodb_uri,
            "OMNIFLATTR_DB_NAME": settings.db_name,
            "OMNIFLATTR_CRAWL_HOST_MAP": server.host_map_env(),
        },
    )


async def eventually(check, limit: float = 60.0) -> None:
    async with asyncio.timeout(limit):
        while not await check():  # noqa: ASYNC110 - polling other processes' writes
            await asyncio.sleep(0.1)


def stop(proc: subprocess.Popen) -> tuple[int, str]:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        out, _ = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return proc.returncode, out


@pytest.mark.slow
async def test_two_worker_processes_do_every_job_exactly_once(
    context, settings, web_for_workers, tmp_path
):
    env = worker_env(settings, web_for_workers, tmp_path)
    workers = [start_worker(env, "--workers", "2") for _ in range(2)]
    early_output = []
    try:
        for worker in workers:  # both are up and polling before any job exists
            early_output.append(
                await asyncio.wait_for(asyncio.to_thread(until_started, worker), 60)
            )
        for url in PAGES:
            await queue.enqueue(context.db, url, reason="test")

        async def all_done() -> bool:
            return await context.db.crawl_jobs.count_documents({"state": "scheduled"}) == len(PAGES)

        await eventually(all_done)
    finally:
        results = [stop(w) for w in workers]
    for code, output in results:
        assert code == 0, output
        assert "exits" in output, output
    async for job in context.db.crawl_jobs.find({}):
        assert job["done_count"] == 1, job
    for url in PAGES:
        host, path = url.split("/", 3)[2], "/" + url.split("/", 3)[3]
        assert web_for_workers.hits[(host, path)] == 1, url
    finishers = {job["finished_by"] async for job in context.db.crawl_jobs.find({})}
    assert len({f.split(":")[1] for f in finishers}) == 2  # both processes worked


@pytest.mark.slow
async def test_a_killed_workers_job_is_done_by_another_after_its_lease(
    context, settings, web_for_workers, tmp_path
):
    await queue.enqueue(context.db, HANG_URL, priority=queue.PRIORITY_FLATTR)
    env = worker_env(settings, web_for_workers, tmp_path)
    first = start_worker(env, "--workers", "1")

    async def leased_by_first() -> bool:
        job = await context.db.crawl_jobs.find_one({"_id": HANG_URL})
        return job["state"] == "leased" and f":{first.pid}:" in job["lease_owner"]

    try:
        await eventually(leased_by_first)
        await eventually(lambda: _hit(web_for_workers))
        first.kill()  # SIGKILL: no chance to give the job back
        first.wait(10)
        second = start_worker(env, "--workers", "1")

        async def done() -> bool:
            job = await context.db.crawl_jobs.find_one({"_id": HANG_URL})
            return job["state"] == "scheduled"

        await eventually(done)
        code, output = stop(second)
    finally:
        if first.poll() is None:
            first.kill()
    assert code == 0, output
    job = await context.db.crawl_jobs.find_one({"_id": HANG_URL})
    assert f":{second.pid}:" in job["finished_by"]
    assert job["done_count"] == 1
    signals = await context.db.page_signals.find_one({"_id": HANG_URL})
    assert signals["creators"] == ["omniflattr:alice"]


async def _hit(server: SiteServer) -> bool:
    return server.hits[("hang.example.com", "/video")] >= 1


@pytest.mark.slow
async def test_serve_runs_a_worker_inside_unless_told_not_to(
    context, settings, web_for_workers, tmp_path
):
    url = PAGES[0]
    extra = {
        "MONGODB_URI": settings.mongodb_uri,
        "OMNIFLATTR_DB_NAME": settings.db_name,
        "OMNIFLATTR_CRAWL_HOST_MAP": web_for_workers.host_map_env(),
    }
    with running_service(tmp_path / "off", "--no-crawler", env=extra):
        await queue.enqueue(context.db, url)
        await asyncio.sleep(1.5)
        assert await queue.pending(context.db, [url]) == {url}
    with running_service(tmp_path / "on", env=extra) as service:

        async def crawled() -> bool:
            return await context.db.page_signals.find_one({"_id": url}) is not None

        await eventually(crawled, limit=30)
        assert service.stop() == 0
