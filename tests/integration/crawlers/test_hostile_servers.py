"""Servers that misbehave on purpose: the client stays bounded in hops, bytes and time."""

from __future__ import annotations

import asyncio
import dataclasses
import gzip
import time

import brotli
import pytest
from aiohttp import web

from crawlers.fetch import MAX_BYTES, FetchError, GuardedClient, Timeouts
from crawlers.pipeline import crawl_now
from tests.support.sites import SiteServer, status_response, text_response

BOMB_SIZE = 64 * 1024 * 1024  # inflates to 64 MiB; the cap is 2 MiB


class Sent:
    bytes = 0


async def endless_redirect(request: web.Request) -> web.Response:
    n = int(request.query.get("n", "0"))
    return web.Response(status=302, headers={"Location": f"/loop?n={n + 1}"})


async def one_gigabyte(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "text/html"})
    response.content_length = 1024**3
    await response.prepare(request)
    chunk = b"<p>" + b"x" * (64 * 1024 - 3)
    try:
        for _ in range(1024**3 // len(chunk)):
            await response.write(chunk)
            Sent.bytes += len(chunk)
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    return response


class Streamed:
    bytes = 0


async def huge_pdf(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "application/pdf"})
    response.content_length = 1024**3
    await response.prepare(request)
    try:
        for _ in range(16 * 1024):
            await response.write(b"%PDF" * 16 * 1024)
            Streamed.bytes += 64 * 1024
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    return response


async def slow_drip(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "text/html"})
    await response.prepare(request)
    for _ in range(600):
        await response.write(b"<")
        await asyncio.sleep(0.1)
    return response


async def silent(request: web.Request) -> web.Response:
    await asyncio.sleep(60)
    return web.Response(text="too late")


def compressed(body: bytes, encoding: str):
    async def handler(request: web.Request) -> web.Response:
        return web.Response(
            body=body, headers={"Content-Encoding": encoding, "Content-Type": "text/html"}
        )

    return handler


async def garbage_server() -> tuple[asyncio.Server, int]:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(1024)
        writer.write(bytes(range(256)) * 64)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


@pytest.fixture(scope="module")
async def hostile():
    server = SiteServer()
    host = "hostile.example.org"
    server.add(host, "/loop", endless_redirect)
    server.add(host, "/gigabyte", one_gigabyte)
    server.add(host, "/drip", slow_drip)
    server.add(host, "/huge.pdf", huge_pdf)
    server.add(host, "/silent", silent)
    zeros = b"\0" * BOMB_SIZE
    server.add(host, "/gzip-bomb", compressed(gzip.compress(zeros, compresslevel=1), "gzip"))
    server.add(host, "/br-bomb", compressed(brotli.compress(zeros, quality=1), "br"))
    server.add(host, "/bad-gzip", compressed(b"\x1f\x8b\x08\x00garbage-not-gzip", "gzip"))
    server.add(host, "/zstd", compressed(b"whatever", "zstd"))
    server.add("robots5xx.example.com", "/robots.txt", status_response(503))
    server.add("robots5xx.example.com", "/page", text_response("<html><head></head></html>"))
    del zeros
    await server.start()
    garbage, garbage_port = await garbage_server()
    yield server, garbage_port
    garbage.close()
    await server.stop()


@pytest.fixture
async def client(settings, hostile):
    server, garbage_port = hostile
    host_map = {**server.host_map(), "garbage.example.org": ("127.0.0.1", garbage_port)}
    guarded = GuardedClient(
        dataclasses.replace(settings, crawl_host_map=host_map),
        timeouts=Timeouts(connect=1.0, read=1.0, total=2.0),
    )
    yield guarded
    await guarded.close()


async def test_endless_redirects_stop_after_five(client, hostile):
    server, _ = hostile
    before = sum(n for (h, p), n in server.hits.items() if p.startswith("/loop"))
    with pytest.raises(FetchError) as caught:
        await client.get("https://hostile.example.org/loop?n=0")
    assert caught.value.code == "too_many_redirects"
    assert "more than 5 times" in caught.value.message
    after = sum(n for (h, p), n in server.hits.items() if p.startswith("/loop"))
    assert after - before == 6  # the first request and five redirects, no more


async def test_a_one_gigabyte_body_is_cut_at_the_cap(client):
    started = time.monotonic()
    result = await client.get("https://hostile.example.org/gigabyte")
    assert result.truncated and len(result.body) == MAX_BYTES
    assert time.monotonic() - started < 2.0
    await asyncio.sleep(0.2)
    assert Sent.bytes < 64 * 1024 * 1024  # the connection was dropped, not drained


async def test_a_slow_drip_hits_the_total_timeout(client):
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        await client.get("https://hostile.example.org/drip")
    assert caught.value.code == "timeout"
    assert "within 2 s" in caught.value.message
    assert time.monotonic() - started < 3.0


async def test_a_server_that_never_answers_hits_the_read_timeout(client):
    with pytest.raises(FetchError) as caught:
        await client.get("https://hostile.example.org/silent")
    assert caught.value.code == "timeout"


async def test_garbage_bytes_are_a_bad_response(client):
    with pytest.raises(FetchError) as caught:
        await client.get("https://garbage.example.org/")
    assert caught.value.code == "bad_response"
    assert "garbage.example.org" in caught.value.message


@pytest.mark.parametrize("path", ["/gzip-bomb", "/br-bomb"])
async def test_compression_bombs_are_cut_at_the_cap(client, path):
    result = await client.get(f"https://hostile.example.org{path}")
    assert result.truncated
    assert len(result.body) == MAX_BYTES
    assert result.body == b"\0" * MAX_BYTES


async def test_corrupt_or_unknown_encodings_are_clear_errors(client):
    with pytest.raises(FetchError) as caught:
        await client.get("https://hostile.example.org/bad-gzip")
    assert caught.value.code == "bad_response" and "corrupt" in caught.value.message
    with pytest.raises(FetchError) as caught:
        await client.get("https://hostile.example.org/zstd")
    assert caught.value.code == "unsupported_encoding" and "zstd" in caught.value.message


async def test_robots_5xx_disallows_the_whole_site(crawl_context, hostile):
    server, _ = hostile
    crawl_context.settings.crawl_host_map.update(server.host_map())
    crawl_context.services.pop("guarded_client", None)
    signals = await crawl_now(crawl_context, "https://robots5xx.example.com/page")
    assert signals["error"]["code"] == "robots_disallowed"
    assert "HTTP 503" in signals["error"]["message"]
    assert server.hits[("robots5xx.example.com", "/page")] == 0
    assert server.hits[("robots5xx.example.com", "/robots.txt")] == 1


async def test_a_page_crawl_does_not_download_what_has_no_head(client):
    result = await client.get("https://hostile.example.org/huge.pdf", until=b"</head>")
    assert result.status == 200 and result.body == b"" and result.stopped_at
    await asyncio.sleep(0.2)
    assert Streamed.bytes < 64 * 1024 * 1024  # the connection was dropped at once
    result = await client.get("https://hostile.example.org/huge.pdf")  # asked for: read, capped
    assert result.truncated and len(result.body) == MAX_BYTES
