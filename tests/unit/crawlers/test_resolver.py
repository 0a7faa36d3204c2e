"""The guarded resolver: every address of an answer checked, connections pinned to them."""

from __future__ import annotations

import dataclasses
import socket

import pytest
from aiohttp import web

from crawlers.fetch import DnsLookup, FetchError, GuardedClient, GuardedResolver
from registry_service.config import load_settings
from tests.support.sites import FixtureDns


def answers(*sequence: list[str]):
    """A lookup that answers each call with the next list of addresses (last repeats)."""
    calls: list[str] = []

    async def lookup(host: str) -> tuple[list[str], float]:
        calls.append(host)
        return sequence[min(len(calls), len(sequence)) - 1], 0.0

    lookup.calls = calls
    return lookup


async def test_one_private_address_in_the_answer_refuses_the_whole_name():
    resolver = GuardedResolver(lookup=answers(["93.184.216.34", "10.0.0.5"]))
    with pytest.raises(FetchError) as caught:
        await resolver.resolve("mixed.example.com", 80)
    assert caught.value.code == "address_refused"
    assert caught.value.message == (
        "mixed.example.com resolves to 10.0.0.5, a private address: refused"
    )


async def test_results_are_the_checked_addresses_and_numeric():
    resolver = GuardedResolver(lookup=answers(["93.184.216.34", "2606:2800:220:1::"]))
    results = await resolver.resolve("example.com", 443, family=socket.AF_UNSPEC)
    assert [(r["host"], r["family"]) for r in results] == [
        ("93.184.216.34", socket.AF_INET),
        ("2606:2800:220:1::", socket.AF_INET6),
    ]
    assert all(r["hostname"] == "example.com" and r["port"] == 443 for r in results)
    v4_only = await resolver.resolve("example.com", 443, family=socket.AF_INET)
    assert [r["host"] for r in v4_only] == ["93.184.216.34"]


async def test_the_resolver_refuses_ip_literals_and_special_names_itself():
    resolver = GuardedResolver(lookup=answers(["93.184.216.34"]))
    for host in ("127.0.0.1", "2130706433", "localhost", "db.internal"):
        with pytest.raises(FetchError):
            await resolver.resolve(host, 80)
    assert resolver.lookup.calls == []


async def test_connections_go_to_the_address_that_was_checked():
    """A name that rebinds after the check changes nothing: aiohttp connects to the checked
    address. The policy here admits 127.0.0.2 only, standing for a public address."""
    app = web.Application()

    async def where(request: web.Request) -> web.Response:
        return web.Response(text=request.transport.get_extra_info("sockname")[0])

    app.router.add_get("/", where)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.2", 0)
    await site.start()
    port = runner.addresses[0][1]
    lookup = answers(["127.0.0.2"], ["127.0.0.1"])  # the second answer would rebind
    resolver = GuardedResolver(
        lookup=lookup, policy=lambda ip: None if ip == "127.0.0.2" else "not the checked one"
    )
    settings = dataclasses.replace(load_settings({"OMNIFLATTR_ENV": "test"}))
    client = GuardedClient(settings, resolver=resolver)
    # Port checks are the client's; go through the connector directly with this port.
    session = client._get_session()
    try:
        async with session.get(f"http://rebind.example.com:{port}/") as response:
            assert await response.text() == "127.0.0.2"
        assert len(lookup.calls) == 1
        # The next connection asks again, gets the rebound answer, and is refused.
        with pytest.raises(FetchError, match=r"127\.0\.0\.1, not the checked one"):
            async with session.get(f"http://rebind2.example.com:{port}/"):
                pass
    finally:
        await client.close()
        await runner.cleanup()


async def test_mapped_hosts_resolve_to_their_mapped_address_without_dns():
    lookup = answers(["93.184.216.34"])
    resolver = GuardedResolver({"blog.example.org": ("127.0.0.1", 8001)}, lookup=lookup)
    results = await resolver.resolve("blog.example.org", 8001)
    assert [r["host"] for r in results] == ["127.0.0.1"] and lookup.calls == []


async def test_dns_lookup_against_a_real_dns_server():
    dns = await FixtureDns(
        {"www.example.net": ["93.184.216.34", "2606:2800:220:1::"], "bad.example.net": ["10.9.8.7"]}
    ).start()
    try:
        lookup = DnsLookup(dns.nameservers, timeout=2)
        addresses, _ = await lookup("www.example.net")
        assert sorted(addresses) == ["2606:2800:220:1::", "93.184.216.34"]
        with pytest.raises(FetchError) as caught:
            await lookup("missing.example.net")
        assert caught.value.code == "dns_failed" and "NXDOMAIN" in caught.value.message
        resolver = GuardedResolver(nameservers=dns.nameservers)
        with pytest.raises(FetchError) as caught:
            await resolver.resolve("bad.example.net", 80)
        assert "10.9.8.7, a private address" in caught.value.message
    finally:
        dns.stop()
