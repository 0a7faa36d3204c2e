"""What the URL alone says about a thing: its normalised form, host, platform and candidate keys.

Pure functions, no I/O: `omniflattr resolve --offline` is this module plus `rules.decide`.
"""

from __future__ import annotations

from dataclasses import dataclass

from registry_service.resolve.domains import HostInfo, host_info
from registry_service.resolve.keys import domain_key
from registry_service.resolve.platforms import Platform, PlatformMatch, looks_fediverse, platform_of
from registry_service.resolve.urls import ParsedUrl, parse_url, strip_www, unparse


@dataclass(frozen=True)
class Thing:
    url: ParsedUrl
    normalized: str
    info: HostInfo
    adapter: type[Platform] | None  # the platform serving the host, if any
    platform: PlatformMatch | None  # None on the platform's own pages (home, reserved)

    @property
    def site_host(self) -> str:
        return self.url.site_host

    @property
    def domain_key(self) -> str:
        adapter = self.adapter
        if adapter is not None and self.platform is None:
            # The platform's own pages pay its operator, also under a private suffix
            # (www.github.io is GitHub's, not a tenant's).
            return domain_key(adapter.home_domain or self.info.icann_registrable)
        if adapter is not None and adapter.home_domain and adapter.path_host(self.url.host):
            return domain_key(adapter.home_domain)
        return domain_key(self.info.registrable)

    @property
    def subdomain_keys(self) -> tuple[str, ...]:
        """`domain:` keys of the host's subdomains, most specific first (verified ones win)."""
        host, registrable = strip_www(self.info.host), self.info.registrable
        if host == registrable or not host.endswith("." + registrable):
            return ()
        labels = host[: -len(registrable) - 1].split(".")
        return tuple(
            domain_key(".".join(labels[i:]) + "." + registrable) for i in range(len(labels))
        )

    @property
    def may_be_fediverse(self) -> bool:
        """Worth asking whether an unknown host is a fediverse instance."""
        return self.adapter is None and looks_fediverse(self.url)


def analyse_parsed(url: ParsedUrl, fediverse_hosts: frozenset[str] = frozenset()) -> Thing:
    info = host_info(url.host)
    adapter, match = platform_of(url, info, fediverse_hosts)
    return Thing(url, unparse(url), info, adapter, match)


def analyse(raw: str, fediverse_hosts: frozenset[str] = frozenset()) -> Thing:
    """Everything the URL alone tells; raises `InvalidUrl`."""
    return analyse_parsed(parse_url(raw), fediverse_hosts)
