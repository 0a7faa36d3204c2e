"""An aiohttp resolver that checks every address a name resolves to, and pins to it.

aiohttp connects to the addresses this resolver returns, so the address that was
checked is the address connected to: a name that answers differently a moment later
(DNS rebinding) changes nothing. If any address of an answer is not public, the whole
name is refused (an attacker mixing one public and one private address gains nothing).
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence

import dns.asyncresolver
import dns.exception
import dns.nameserver
import dns.resolver
from aiohttp.abc import AbstractResolver, ResolveResult

from crawlers.fetch.addresses import parse_ip, refusal_reason
from crawlers.fetch.errors import FetchError
from crawlers.fetch.targets import canonical_host, refuse_special_use

Lookup = Callable[[str], Awaitable[tuple[list[str], float]]]
MAX_CACHE_SECONDS = 300.0
MAX_CACHE_ENTRIES = 10_000


class DnsLookup:
    """A and AAAA records of a name with dnspython: (addresses, ttl seconds)."""

    def __init__(self, nameservers: Sequence[tuple[str, int]] = (), timeout: float = 5.0):
        self._resolver = dns.asyncresolver.Resolver(configure=not nameservers)
        if nameservers:
            self._resolver.nameservers = [
                dns.nameserver.Do53Nameserver(host, port) for host, port in nameservers
            ]
        self._resolver.lifetime = timeout
        self._resolver.cache = None  # the guarded resolver keeps its own checked cache

    async def __call__(self, host: str) -> tuple[list[str], float]:
        answers = await asyncio.gather(
            self._query(host, "A"), self._query(host, "AAAA"), return_exceptions=True
        )
        addresses: list[str] = []
        ttls: list[float] = []
        errors: list[BaseException] = []
        for answer in answers:
            if isinstance(answer, BaseException):
                errors.append(answer)
                continue
            if answer is None:
                continue
            ttls.append(float(answer.rrset.ttl if answer.rrset is not None else 0))
            addresses.extend(rdata.address for rdata in answer)
        if not addresses:
            if any(isinstance(e, dns.resolver.NXDOMAIN) for e in errors):
                raise FetchError("dns_failed", f"{host} does not exist (NXDOMAIN)")
            if errors:
                raise FetchError("dns_failed", f"{host} could not be resolved: {errors[0]}")
            raise FetchError("dns_failed", f"{host} has no A or AAAA record")
        return addresses, min(ttls) if ttls else 0.0

    async def _query(self, host: str, rdtype: str):
        try:
            return await self._resolver.resolve(host, rdtype, search=False)
        except (dns.resolver.NoAnswer, dns.resolver.NoNameservers):
            return None
        except dns.exception.Timeout:
            raise FetchError("dns_failed", f"{host}: the DNS lookup timed out") from None


class GuardedResolver(AbstractResolver):
    """Resolves names for aiohttp and returns only checked, public addresses."""

    def __init__(
        self,
        host_map: Mapping[str, tuple[str, int]] | None = None,
        *,
        lookup: Lookup | None = None,
        policy: Callable[[str], str | None] = refusal_reason,
        nameservers: Sequence[tuple[str, int]] = (),
    ) -> None:
        self.host_map = dict(host_map or {})
        self.lookup = lookup or DnsLookup(nameservers)
        self.policy = policy
        self._cache: dict[str, tuple[float, list[str]]] = {}

    async def checked_addresses(self, host: str) -> list[str]:
        """Every address of `host`, all public, or `FetchError` naming the bad one."""
        name = canonical_host(host)
        mapped = self.host_map.get(name)
        if mapped is not None:
            return [mapped[0]]
        refuse_special_use(name)
        cached = self._cache.get(name)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        addresses, ttl = await self.lookup(name)
        if not addresses:
            raise FetchError("dns_failed", f"{name} has no address")
        for address in addresses:
            ip = parse_ip(address)
            reason = self.policy(address) if ip is not None else "not an IP address"
            if reason:
                raise FetchError(
                    "address_refused", f"{name} resolves to {address}, {reason}: refused"
                )
        if ttl > 0:
            if len(self._cache) >= MAX_CACHE_ENTRIES:
                self._cache.clear()
            self._cache[name] = (time.monotonic() + min(ttl, MAX_CACHE_SECONDS), addresses)
        return addresses

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        addresses = await self.checked_addresses(host)
        results: list[ResolveResult] = []
        for address in addresses:
            ip = parse_ip(address)
            assert ip is not None
            ip_family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
            if family not in (socket.AF_UNSPEC, ip_family):
                continue
            results.append(
                ResolveResult(
                    hostname=host,
                    host=str(ip),  # connect to exactly the address that was checked
                    port=port,
                    family=ip_family,
                    proto=0,
                    flags=socket.AI_NUMERICHOST,
                )
            )
        if not results:
            raise FetchError("dns_failed", f"{host} has no address of the requested family")
        return results

    async def close(self) -> None:
        self._cache.clear()
