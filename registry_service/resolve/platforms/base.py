"""The one class that does the work for every platform adapter.

An adapter is a subclass made of settings only: its hosts (and the prefixes such as `m.`
or `old.` that also serve it), the hosts whose subdomains are tenants (`{login}.github.io`),
its path rules in a tiny pattern language, the words it reserves for itself, and how its
ids are spelled. See `github.py` for a full example.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import unquote

from registry_service.resolve.domains import HostInfo
from registry_service.resolve.urls import ParsedUrl

ID = "{id}"
ANY = "*"


@dataclass(frozen=True)
class Rule:
    """A path pattern such as `/orgs/{id}`, `/@{id}`, `/watch` or `/shorts/*`.

    Segments match literally (case-insensitive), `*` matches any one segment, and `{id}`
    (optionally with a literal prefix such as `@`) captures the account. The pattern only
    has to match the beginning of the path. `crawl=True`: the creator of such a page can
    only be learned by crawling it (a video); `query`: the rule needs that query parameter.
    """

    pattern: str
    crawl: bool = False
    query: str | None = None
    hosts: tuple[str, ...] = ()  # limit the rule to some of the adapter's hosts
    id_pattern: str | None = None  # overrides the adapter's
    id_prefix: str = ""  # put before the captured id in the key (YouTube's "@")
    learns_id: bool = False  # a crawl learns an immutable id behind this handle

    def parts(self) -> list[str]:
        return [p for p in self.pattern.split("/") if p]


@dataclass(frozen=True)
class PlatformMatch:
    namespace: str
    key: str | None  # None: only a crawl can tell whose it is
    needs_crawl: bool = False  # the key depends on the page (a video's channel)
    learns_id: bool = False  # a crawl of the page may learn the account's immutable id


def _query_names(query: str) -> set[str]:
    return {piece.partition("=")[0] for piece in query.split("&") if piece}


class Platform:
    namespace: ClassVar[str]
    label: ClassVar[str]  # how people call the platform ("GitHub", "X (Twitter)")
    # Hosts whose paths name the account (matched with or without `www.` and `prefixes`).
    hosts: ClassVar[tuple[str, ...]] = ()
    prefixes: ClassVar[tuple[str, ...]] = ()  # the platform's mobile/legacy prefixes ("m.")
    # Hosts whose subdomains are accounts: {tenant}.github.io. A trailing ".*" means any
    # public suffix (blogspot.com, blogspot.fr, blogspot.co.uk, ...).
    tenant_hosts: ClassVar[tuple[str, ...]] = ()
    reserved_tenants: ClassVar[frozenset[str]] = frozenset({"www"})
    rules: ClassVar[tuple[Rule, ...]] = ()
    # First path segments (and ids) that belong to the platform itself.
    reserved: ClassVar[frozenset[str]] = frozenset()
    id_pattern: ClassVar[str] = r"[a-z0-9][a-z0-9_-]*"
    case_insensitive: ClassVar[bool] = True
    # The registrable domain of the platform's own pages when it differs from the host's
    # (youtu.be and youtube-nocookie.com pages that are not yet crawled: domain:youtube.com).
    home_domain: ClassVar[str | None] = None
    # True when the host list can grow at run time (fediverse instances seen by the crawler).
    dynamic_hosts: ClassVar[bool] = False

    _compiled: ClassVar[dict[str, re.Pattern]] = {}

    # -- hosts ---------------------------------------------------------------------------

    @classmethod
    def path_host(cls, host: str, extra_hosts: frozenset[str] = frozenset()) -> str | None:
        """The platform host this host is (without its `www.`/mobile prefix), if any."""
        for prefix in ("", "www.", *cls.prefixes):
            if host.startswith(prefix):
                bare = host[len(prefix) :]
                if bare in cls.hosts or (cls.dynamic_hosts and bare in extra_hosts):
                    return bare
        return None

    @classmethod
    def tenant_of(cls, info: HostInfo) -> str | None:
        """The account of a tenant host (`alice` for alice.github.io), if the host is one."""
        for suffix in cls.tenant_hosts:
            if suffix.endswith(".*"):
                suffix = f"{suffix[:-2]}.{info.icann_suffix}"
            if info.host.endswith("." + suffix):
                label = info.host[: -len(suffix) - 1].rpartition(".")[2]
                if label in cls.reserved_tenants or not cls._valid(label, cls.id_pattern):
                    return None
                return label
        return None

    @classmethod
    def serves(cls, info: HostInfo, extra_hosts: frozenset[str] = frozenset()) -> bool:
        if cls.path_host(info.host, extra_hosts) is not None:
            return True
        return any(
            info.host.endswith("." + (s[:-2] + "." + info.icann_suffix if s.endswith(".*") else s))
            for s in cls.tenant_hosts
        )

    # -- ids -----------------------------------------------------------------------------

    @classmethod
    def _valid(cls, value: str, pattern: str) -> bool:
        compiled = cls._compiled.get(pattern)
        if compiled is None:
            compiled = cls._compiled[pattern] = re.compile(pattern, re.IGNORECASE)
        return compiled.fullmatch(value) is not None

    @classmethod
    def normalize_id(cls, account: str) -> str:
        """The id as it appears in keys (lowercase where the platform ignores case)."""
        return account.lower() if cls.case_insensitive else account

    @classmethod
    def make_key(cls, account: str, host: str) -> str | None:
        return f"{cls.namespace}:{account}"

    @classmethod
    def key_for_id(cls, ident: str) -> str | None:
        """The key of an account id a person typed (`Alice`, `@alice`), or None if none can be.

        Claims use this, so every key the resolver can give a page is claimable with the
        same spelling, and nothing else is.
        """
        ident = ident.strip().removeprefix("@")
        if not ident or ident.lower() in cls.reserved or not cls._valid(ident, cls.id_pattern):
            return None
        return cls.make_key(cls.normalize_id(ident), "")

    # -- matching ------------------------------------------------------------------------

    @classmethod
    def match(
        cls, url: ParsedUrl, info: HostInfo, extra_hosts: frozenset[str] = frozenset()
    ) -> PlatformMatch | None:
        """The platform key of this URL; None for the platform's own pages (home, reserved)."""
        tenant = cls.tenant_of(info)
        if tenant is not None:
            return PlatformMatch(cls.namespace, cls.make_key(cls.normalize_id(tenant), url.host))
        host = cls.path_host(info.host, extra_hosts)
        if host is None:
            return None
        try:
            segments = [unquote(s, errors="strict") for s in url.path.split("/") if s]
        except UnicodeDecodeError:
            return None
        for rule in cls.rules:
            if rule.hosts and host not in rule.hosts:
                continue
            found = cls._apply(rule, segments, url.query)
            if found is None:
                continue
            if found is True:
                return PlatformMatch(cls.namespace, None, needs_crawl=True)
            key = cls.make_key(cls.normalize_id(rule.id_prefix + found), host)
            if key is None:
                return None
            return PlatformMatch(cls.namespace, key, learns_id=rule.learns_id)
        return None

    @classmethod
    def _apply(cls, rule: Rule, segments: list[str], query: str) -> str | bool | None:
        """The captured id (str), True for a crawl rule that matched, or None."""
        parts = rule.parts()
        if len(segments) < len(parts):
            return None
        if rule.query and rule.query not in _query_names(query):
            return None
        captured: str | None = None
        for part, segment in zip(parts, segments, strict=False):
            if ID in part:
                prefix, _, suffix = part.partition(ID)
                if not (segment.startswith(prefix) and segment.endswith(suffix)):
                    return None
                value = segment[len(prefix) : len(segment) - len(suffix)]
                pattern = rule.id_pattern or cls.id_pattern
                if value.lower() in cls.reserved or not cls._valid(value, pattern):
                    return None
                # The key spells the id in lowercase: that spelling must be an id too
                # ("İ" lowercases to "i" + a combining dot, which no id pattern allows).
                if cls.case_insensitive and not cls._valid(value.lower(), pattern):
                    return None
                captured = value
            elif part == ANY:
                continue
            elif segment.lower() != part.lower():
                return None
        if rule.crawl:
            return True
        return captured
