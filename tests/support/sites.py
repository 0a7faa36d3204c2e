"""Local fixture servers for crawling "real" sites in tests: one aiohttp server on 127.0.0.1
answering for many host names (route by Host header), and a tiny real DNS server.

Reach the web server through the production fetch code with the host map:
`dataclasses.replace(settings, crawl_host_map=server.host_map())`, or in a subprocess
`OMNIFLATTR_CRAWL_HOST_MAP=server.host_map_env()`.
"""

from __future__ import annotations

import asyncio
import collections
import ipaddress
from collections.abc import Awaitable, Callable

import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset
from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def html_response(text: str, **headers: str) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(text=text, content_type="text/html", headers=headers)

    return handler


def text_response(text: str, content_type: str = "text/plain", status: int = 200) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(text=text, content_type=content_type, status=status)

    return handler


def status_response(status: int, **headers: str) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(status=status, headers=headers, text=f"status {status}")

    return handler


def redirect_response(location: str, status: int = 302) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(status=status, headers={"Location": location})

    return handler


class SiteServer:
    """One local HTTP server playing many sites: `add(host, path, handler)`.

    Unknown paths answer 404 (so robots.txt of a site without one allows everything).
    `hits[(host, path)]` counts requests; `requests` keeps their headers (unless
    `keep_log` is off). `latency` (seconds) delays every answer, as a site's time to first byte.
    """

    def __init__(self, *, latency: float = 0.0) -> None:
        self.routes: dict[tuple[str, str], Handler] = {}
        self.hits: collections.Counter[tuple[str, str]] = collections.Counter()
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.keep_log = True
        self.latency = latency
        self.port = 0
        self._runner: web.AppRunner | None = None

    def add(self, host: str, path: str, handler: Handler) -> None:
        self.routes[(host.lower(), path)] = handler

    def page(self, host: str, path: str, html: str, **headers: str) -> None:
        self.add(host, path, html_response(html, **headers))

    def hosts(self) -> set[str]:
        return {host for host, _ in self.routes}

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        host = (request.host or "").split(":")[0].lower()
        key = (host, request.path_qs if (host, request.path_qs) in self.routes else request.path)
        self.hits[key] += 1
        if self.keep_log:
            self.requests.append((host, request.path_qs, dict(request.headers)))
        if self.latency:
            await asyncio.sleep(self.latency)
        handler = self.routes.get(key)
        if handler is None:
            return web.Response(status=404, text="not found")
        return await handler(request)

    async def start(self) -> SiteServer:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def host_map(self, *hosts: str) -> dict[str, tuple[str, int]]:
        return {h: ("127.0.0.1", self.port) for h in (hosts or sorted(self.hosts()))}

    def host_map_env(self, *hosts: str) -> str:
        return ",".join(f"{h}=127.0.0.1:{self.port}" for h in (hosts or sorted(self.hosts())))


class DnsProtocol(asyncio.DatagramProtocol):
    def __init__(self, server: FixtureDns) -> None:
        self.server = server
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr) -> None:
        try:
            query = dns.message.from_wire(data)
        except Exception:
            return
        response = dns.message.make_response(query)
        question = query.question[0]
        name = question.name.to_text().rstrip(".").lower()
        self.server.queries[name] += 1
        answers = self.server.answer(name)
        if answers is None:
            response.set_rcode(dns.rcode.NXDOMAIN)
        else:
            wanted = dns.rdatatype.to_text(question.rdtype)
            for address in answers:
                version = ipaddress.ip_address(address).version
                rdtype = "A" if version == 4 else "AAAA"
                if rdtype == wanted:
                    response.answer.append(
                        dns.rrset.from_text(question.name, self.server.ttl, "IN", rdtype, address)
                    )
        assert self.transport is not None
        self.transport.sendto(response.to_wire(), addr)


class FixtureDns:
    """A real DNS server over UDP on 127.0.0.1 answering A/AAAA from `records`.

    A record value may be a list of addresses, or a list of such lists: each query then
    takes the next answer (the last one repeats) — a name that "rebinds".
    """

    def __init__(self, records: dict[str, list] | None = None, ttl: int = 0) -> None:
        self.records: dict[str, list] = dict(records or {})
        self.queries: collections.Counter[str] = collections.Counter()
        self.ttl = ttl
        self.port = 0
        self._served: collections.Counter[str] = collections.Counter()
        self._transport: asyncio.DatagramTransport | None = None

    def answer(self, name: str) -> list[str] | None:
        value = self.records.get(name)
        if value is None:
            return None
        if value and isinstance(value[0], list):
            # A and AAAA queries come in pairs: advance once per pair.
            index = min(self._served[name] // 2, len(value) - 1)
            self._served[name] += 1
            return value[index]
        return value

    async def start(self) -> FixtureDns:
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(
            lambda: DnsProtocol(self), local_addr=("127.0.0.1", 0)
        )
        self._transport = transport
        self.port = transport.get_extra_info("sockname")[1]
        return self

    def stop(self) -> None:
        if self._transport is not None:
            self._transport.close()

    @property
    def nameservers(self) -> tuple[tuple[str, int], ...]:
        return (("127.0.0.1", self.port),)
