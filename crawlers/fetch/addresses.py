"""Which IP addresses the crawler may connect to: globally routable unicast ones only.

`refusal_reason(ip)` is a pure function: None for a public address, otherwise a short
phrase ("a private address") for the error message. Addresses that embed an IPv4 address
(IPv4-mapped, IPv4-compatible, 6to4, Teredo, NAT64) are judged by the address they embed.
"""

from __future__ import annotations

import ipaddress
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

IPAddress = IPv4Address | IPv6Address

# Checked in order; the first network that holds the address names the reason.
_V4_RANGES: tuple[tuple[str, str], ...] = (
    ("169.254.169.254/32", "the cloud metadata address"),
    ("168.63.129.16/32", "a cloud platform's internal address"),
    ("100.100.100.200/32", "the cloud metadata address"),
    ("0.0.0.0/8", "an unspecified ('this network') address"),
    ("10.0.0.0/8", "a private address"),
    ("100.64.0.0/10", "a carrier-grade NAT address"),
    ("127.0.0.0/8", "a loopback address"),
    ("169.254.0.0/16", "a link-local address"),
    ("172.16.0.0/12", "a private address"),
    ("192.0.0.0/24", "an IETF protocol address"),
    ("192.0.2.0/24", "a documentation address"),
    ("192.31.196.0/24", "an AS112 address"),
    ("192.52.193.0/24", "an AMT relay address"),
    ("192.88.99.0/24", "a 6to4 relay address"),
    ("192.168.0.0/16", "a private address"),
    ("192.175.48.0/24", "an AS112 address"),
    ("198.18.0.0/15", "a benchmarking address"),
    ("198.51.100.0/24", "a documentation address"),
    ("203.0.113.0/24", "a documentation address"),
    ("224.0.0.0/4", "a multicast address"),
    ("255.255.255.255/32", "the broadcast address"),
    ("240.0.0.0/4", "a reserved address"),
)

_V6_RANGES: tuple[tuple[str, str], ...] = (
    ("fd00:ec2::254/128", "the cloud metadata address"),
    ("::/128", "the unspecified address"),
    ("::1/128", "a loopback address"),
    ("64:ff9b:1::/48", "a local-use NAT64 address"),
    ("100::/64", "a discard-only address"),
    ("2001:db8::/32", "a documentation address"),
    ("3fff::/20", "a documentation address"),
    ("2001:10::/28", "an ORCHID address"),
    ("2001:20::/28", "an ORCHIDv2 address"),
    ("2001::/23", "an IETF protocol address"),
    ("5f00::/16", "a segment-routing address"),
    ("fc00::/7", "a unique-local (private) address"),
    ("fe80::/10", "a link-local address"),
    ("fec0::/10", "a site-local address"),
    ("ff00::/8", "a multicast address"),
)

_V4 = tuple((IPv4Network(net), reason) for net, reason in _V4_RANGES)
_V6 = tuple((IPv6Network(net), reason) for net, reason in _V6_RANGES)
_NAT64 = IPv6Network("64:ff9b::/96")
_COMPATIBLE = IPv6Network("::/96")
_TEREDO = IPv6Network("2001::/32")


def parse_ip(text: str) -> IPAddress | None:
    """An address in canonical notation (no zone id), or None."""
    try:
        return ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return None


def embedded_ipv4(ip: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 transition address carries, if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _COMPATIBLE and int(ip) > 1:
        return IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def refusal_reason(ip: IPAddress | str) -> str | None:
    """None when `ip` is a public unicast address the crawler may reach; else why not."""
    address = parse_ip(ip) if isinstance(ip, str) else ip
    if address is None:
        return "not an IP address"
    if isinstance(address, IPv6Address):
        if address.scope_id:
            return "a scoped (zone) address"
        inner = embedded_ipv4(address)
        if inner is not None:
            reason = refusal_reason(inner)
            if address.ipv4_mapped is not None or address in _COMPATIBLE:
                # The connection would go to the IPv4 address itself.
                return f"an IPv4-in-IPv6 address of {inner}, {reason}" if reason else None
            if reason:
                return f"an IPv6 address embedding {inner}, {reason}"
        if address in _TEREDO:
            server, client = address.teredo or (None, None)
            for v4 in (server, client):
                if v4 is not None and refusal_reason(v4):
                    return f"a Teredo address embedding {v4}, {refusal_reason(v4)}"
            return "a Teredo tunnel address"
        for network, reason in _V6:
            if address in network:
                return reason
    else:
        for network, reason in _V4:
            if address in network:
                return reason
    if not address.is_global or address.is_multicast:
        return "not a globally routable address"
    return None


def is_public(ip: IPAddress | str) -> bool:
    return refusal_reason(ip) is None
