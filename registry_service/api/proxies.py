"""The client's address behind trusted reverse proxies (OMNIFLATTR_TRUSTED_PROXIES).

Behind a load balancer every request comes from the balancer's address, so rate limits
and logs would count all visitors as one. When the peer is a trusted proxy, the client is
the nearest address in `X-Forwarded-For` that is not itself a trusted proxy (the header's
earlier entries could be written by anyone). Requests from other peers keep their own
address and their header is ignored.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

from aiohttp import web

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
CLIENT_ADDRESS = web.RequestKey("client_address", str)


def parse_networks(text: str) -> tuple[Network, ...]:
    """`10.0.0.0/8,127.0.0.1,::1` → networks; raises ValueError naming a bad entry."""
    networks = []
    for item in (part.strip() for part in text.split(",")):
        if item:
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or network") from None
    return tuple(networks)


def _trusted(address: str, networks: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(
    peer: str | None, forwarded_for: Iterable[str], networks: Sequence[Network]
) -> str | None:
    """The client's address: `peer`, unless it is a trusted proxy (pure)."""
    if not networks or peer is None or not _trusted(peer, networks):
        return peer
    hops = [hop.strip() for value in forwarded_for for hop in value.split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return peer  # a malformed chain tells nothing reliable
        if not _trusted(hop, networks):
            return hop
    return hops[0] if hops else peer


def proxy_middleware(networks: Sequence[Network]):
    @web.middleware
    async def middleware(request: web.Request, handler) -> web.StreamResponse:
        client = client_address(
            request.remote, request.headers.getall("X-Forwarded-For", ()), networks
        )
        if client != request.remote:
            request[CLIENT_ADDRESS] = client  # the access log is given this request
            request = request.clone(remote=client)
        return await handler(request)

    return middleware
