"""SSRF: hostile URLs, names and redirects through the production client. None reaches the
internal server; each fails with a clear error naming what was refused.

Names are resolved by a real DNS server on loopback answering what an attacker would.
"""

from __future__ import annotations

import dataclasses

import pytest

from crawlers.fetch import FetchError, GuardedClient, Timeouts
from tests.support.sites import FixtureDns, SiteServer, redirect_response, text_response

DNS_RECORDS = {
    "private10.attacker.com": ["10.0.0.5"],
    "metadata.attacker.com": ["169.254.169.254"],
    "loop.attacker.com": ["127.0.0.1"],
    "mixed.attacker.com": ["93.184.216.34", "10.0.0.5"],
    "mixed6.attacker.com": ["93.184.216.34", "::1"],
    "v6loop.attacker.com": ["::1"],
    "mapped.attacker.com": ["::ffff:127.0.0.1"],
    "ec2v6.attacker.com": ["fd00:ec2::254"],
    "cgnat.attacker.com": ["100.64.0.1"],
    "zero.attacker.com": ["0.0.0.0"],
    "linklocal6.attacker.com": ["fe80::1"],
    "nat64.attacker.com": ["64:ff9b::a00:5"],
    "sixtofour.attacker.com": ["2002:7f00:1::1"],
    "multicast.attacker.com": ["224.0.0.1"],
    "broadcast.attacker.com": ["255.255.255.255"],
    "docs.attacker.com": ["192.0.2.10"],
    "bench.attacker.com": ["198.18.0.1"],
    "127.0.0.1.nip.io": ["127.0.0.1"],
    "rfc1918b.attacker.com": ["172.20.1.1"],
    "rfc1918c.attacker.com": ["192.168.1.1"],
}


@pytest.fixture(scope="module")
async def ssrf_world():
    internal = SiteServer()  # stands for any service on the crawler's own network
    internal.add("*", "/secret", text_response("internal secret"))
    await internal.start()
    public = SiteServer()  # a "public" site (mapped) that redirects to hostile places
    dns = await FixtureDns(DNS_RECORDS).start()
    port = internal.port
    targets = {
        "/to-loopback-ip": f"http://127.0.0.1:{port}/secret",
        "/to-loopback-name": "http://loop.attacker.com/secret",
        "/to-metadata": "http://169.254.169.254/latest/meta-data/",
        "/to-file": "file:///etc/passwd",
        "/to-v6-loopback": f"http://[::1]:{port}/secret",
        "/to-localhost": f"http://localhost:{port}/secret",
        "/to-protocol-relative": f"//127.0.0.1:{port}/secret",
        "/to-decimal-ip": "http://2130706433/secret",
        "/to-private-name": "http://private10.attacker.com/",
        "/to-gopher": "gopher://attacker.com:70/_SET%20x",
        "/to-port-22": "http://attacker.com:22/",
    }
    for path, location in targets.items():
        public.add("redirector.example.org", path, redirect_response(location))
    await public.start()
    yield internal, public, dns
    dns.stop()
    await public.stop()
    await internal.stop()


@pytest.fixture
async def client(settings, ssrf_world):
    _internal, public, dns = ssrf_world
    test_settings = dataclasses.replace(
        settings,
        crawl_host_map=public.host_map("redirector.example.org"),
        dns_nameservers=dns.nameservers,
    )
    guarded = GuardedClient(test_settings, timeouts=Timeouts(connect=2, read=2, total=5))
    yield guarded
    await guarded.close()


def cases(internal_port: int) -> list[tuple[str, str, str]]:
    p = internal_port
    return [
        # (url, expected code, words the message must hold)
        (f"http://127.0.0.1:{p}/secret", "ip_literal_refused", "IP address"),
        ("http://2130706433/", "ip_literal_refused", "IP address"),
        ("http://0x7f.1/", "ip_literal_refused", "IP address"),
        ("http://017700000001/", "ip_literal_refused", "IP address"),
        ("http://0177.0.0.1/", "ip_literal_refused", "IP address"),
        ("http://127.1/", "ip_literal_refused", "IP address"),
        ("http://[::ffff:127.0.0.1]/", "ip_literal_refused", "IP address"),
        (f"http://[::1]:{p}/secret", "ip_literal_refused", "IP address"),
        ("http://0/", "ip_literal_refused", "IP address"),
        ("http://0.0.0.0/", "ip_literal_refused", "IP address"),
        ("http://169.254.169.254/latest/meta-data/", "ip_literal_refused", "IP address"),
        ("http://[fd00:ec2::254]/latest/meta-data/", "ip_literal_refused", "IP address"),
        ("http://１２７.０.０.１/", "ip_literal_refused", "IP address"),
        ("http://127。0。0。1/", "ip_literal_refused", "IP address"),
        ("http://localhost/", "host_refused", "single-label"),
        (f"http://admin.localhost:{p}/", "host_refused", "special-use"),
        ("http://metadata.google.internal/", "host_refused", "special-use"),
        ("http://private10.attacker.com/", "address_refused", "10.0.0.5, a private address"),
        ("http://metadata.attacker.com/", "address_refused", "cloud metadata"),
        ("http://loop.attacker.com/", "address_refused", "127.0.0.1, a loopback address"),
        ("http://loop.attacker.com./", "address_refused", "loopback"),
        ("http://mixed.attacker.com/", "address_refused", "10.0.0.5"),
        ("http://mixed6.attacker.com/", "address_refused", "::1"),
        ("http://v6loop.attacker.com/", "address_refused", "loopback"),
        ("http://mapped.attacker.com/", "address_refused", "127.0.0.1"),
        ("http://ec2v6.attacker.com/", "address_refused", "cloud metadata"),
        ("http://cgnat.attacker.com/", "address_refused", "carrier-grade NAT"),
        ("http://zero.attacker.com/", "address_refused", "0.0.0.0"),
        ("http://linklocal6.attacker.com/", "address_refused", "link-local"),
        ("http://nat64.attacker.com/", "address_refused", "10.0.0.5"),
        ("http://sixtofour.attacker.com/", "address_refused", "127.0.0.1"),
        ("http://multicast.attacker.com/", "address_refused", "multicast"),
        ("http://broadcast.attacker.com/", "address_refused", "broadcast"),
        ("http://docs.attacker.com/", "address_refused", "documentation"),
        ("http://bench.attacker.com/", "address_refused", "benchmarking"),
        ("http://rfc1918b.attacker.com/", "address_refused", "172.20.1.1, a private"),
        ("http://rfc1918c.attacker.com/", "address_refused", "192.168.1.1, a private"),
        ("http://127.0.0.1.nip.io/", "address_refused", "loopback"),
        ("http://attacker.com:22/", "port_refused", "ports 80 and 443"),
        (f"http://attacker.com:{p}/", "port_refused", "ports 80 and 443"),
        ("gopher://attacker.com/", "unsupported_scheme", "only http and https"),
        ("file:///etc/passwd", "unsupported_scheme", "only http and https"),
        ("http://user:pass@attacker.com/", "invalid_url", "credentials"),
        ("https://redirector.example.org/to-loopback-ip", "redirect_refused", "127.0.0.1"),
        ("https://redirector.example.org/to-loopback-name", "address_refused", "loopback"),
        ("https://redirector.example.org/to-metadata", "redirect_refused", "169.254.169.254"),
        ("https://redirector.example.org/to-file", "redirect_refused", "only http and https"),
        ("https://redirector.example.org/to-v6-loopback", "redirect_refused", "IP address"),
        ("https://redirector.example.org/to-localhost", "redirect_refused", "single-label"),
        ("https://redirector.example.org/to-protocol-relative", "redirect_refused", "127.0.0.1"),
        ("https://redirector.example.org/to-decimal-ip", "redirect_refused", "IP address"),
        ("https://redirector.example.org/to-private-name", "address_refused", "10.0.0.5"),
        ("https://redirector.example.org/to-gopher", "redirect_refused", "only http"),
        ("https://redirector.example.org/to-port-22", "redirect_refused", "ports 80 and 443"),
    ]


async def test_no_hostile_url_is_fetched_and_each_error_is_clear(client, ssrf_world):
    internal, _public, _dns = ssrf_world
    failures = []
    all_cases = cases(internal.port)
    assert len(all_cases) >= 30
    for url, code, words in all_cases:
        try:
            result = await client.get(url)
        except FetchError as exc:
            if exc.code != code or words not in exc.message:
                failures.append(f"{url}: got {exc.code}: {exc.message}")
        else:
            failures.append(f"{url}: FETCHED (status {result.status})")
    assert failures == []
    assert sum(internal.hits.values()) == 0, internal.hits


async def test_names_are_really_resolved_by_the_dns_server(client, ssrf_world):
    _internal, _public, dns = ssrf_world
    before = dns.queries["cgnat.attacker.com"]
    with pytest.raises(FetchError):
        await client.get("http://cgnat.attacker.com/")
    assert dns.queries["cgnat.attacker.com"] > before


async def test_only_mapped_hosts_reach_loopback(client, ssrf_world):
    _internal, _public, _dns = ssrf_world
    result = await client.get("https://redirector.example.org/nothing-here")
    assert result.status == 404  # the mapped host is reachable, over plain HTTP


async def test_same_host_redirects_only(client, ssrf_world):
    _internal, _public, _dns = ssrf_world
    with pytest.raises(FetchError) as caught:
        await client.get(
            "https://redirector.example.org/to-private-name", same_host_redirects_only=True
        )
    assert caught.value.code == "redirect_refused"
    assert "another host" in caught.value.message
