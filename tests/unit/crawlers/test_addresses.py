"""The address policy: only globally routable unicast addresses may be reached."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawlers.fetch.addresses import refusal_reason

REFUSED = {
    "127.0.0.1": "loopback",
    "127.255.255.254": "loopback",
    "10.1.2.3": "private",
    "172.16.0.1": "private",
    "172.31.255.255": "private",
    "192.168.0.1": "private",
    "100.64.0.1": "carrier-grade NAT",
    "100.127.255.255": "carrier-grade NAT",
    "169.254.169.254": "cloud metadata",
    "169.254.1.1": "link-local",
    "0.0.0.0": "unspecified",
    "0.1.2.3": "unspecified",
    "224.0.0.251": "multicast",
    "239.255.255.250": "multicast",
    "240.0.0.1": "reserved",
    "255.255.255.255": "broadcast",
    "192.0.2.1": "documentation",
    "198.51.100.7": "documentation",
    "203.0.113.9": "documentation",
    "198.18.0.1": "benchmarking",
    "192.0.0.8": "IETF protocol",
    "::": "unspecified",
    "::1": "loopback",
    "fe80::1": "link-local",
    "fc00::1": "unique-local",
    "fd12:3456::1": "unique-local",
    "fd00:ec2::254": "cloud metadata",
    "ff02::1": "multicast",
    "2001:db8::1": "documentation",
    "::ffff:127.0.0.1": "127.0.0.1, a loopback",
    "::ffff:10.0.0.5": "10.0.0.5, a private",
    "::ffff:169.254.169.254": "cloud metadata",
    "::127.0.0.1": "127.0.0.1",  # IPv4-compatible
    "64:ff9b::a00:5": "10.0.0.5",  # NAT64 of a private address
    "64:ff9b:1::1": "local-use NAT64",
    "2002:a00:5::1": "10.0.0.5",  # 6to4 of a private address
    "2001:0:4136:e378:8000:63bf:3fff:fdd2": "Teredo",
    "100::1": "discard",
    "fec0::1": "site-local",
}

PUBLIC = ["93.184.216.34", "1.1.1.1", "8.8.8.8", "2606:4700:4700::1111", "2a00:1450:4001::1"]


@pytest.mark.parametrize(("address", "words"), REFUSED.items())
def test_refused_addresses_say_why(address, words):
    reason = refusal_reason(address)
    assert reason is not None and words in reason, reason


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address):
    assert refusal_reason(address) is None


PRIVATE_V4 = [
    ipaddress.ip_network(n)
    for n in ("10.0.0.0/8", "127.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
              "169.254.0.0/16", "0.0.0.0/8", "224.0.0.0/4", "240.0.0.0/4")
]  # fmt: skip


@given(st.sampled_from(PRIVATE_V4), st.integers(min_value=0, max_value=2**32 - 1))
def test_every_address_of_a_non_public_range_is_refused_in_every_spelling(network, n):
    address = network[n % network.num_addresses]
    assert refusal_reason(address) is not None
    # The same address mapped, compatible, NAT64'd or 6to4'd into IPv6 is refused too.
    v4 = int(address)
    for v6 in (
        ipaddress.IPv6Address((0xFFFF << 32) | v4),
        ipaddress.IPv6Address(v4) if v4 > 1 else None,
        ipaddress.IPv6Address((0x64FF9B << 96) | v4),
        ipaddress.IPv6Address((0x2002 << 112) | (v4 << 80)),
    ):
        if v6 is not None:
            assert refusal_reason(v6) is not None, v6


@given(st.ip_addresses(v=4))
def test_whatever_the_policy_allows_is_global(address):
    if refusal_reason(address) is None:
        assert address.is_global and not address.is_multicast
