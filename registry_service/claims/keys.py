"""Which keys can be claimed, in their one normalised spelling (see creator-keys.md).

Pure functions. `parse_claim_key` turns what a person typed into a `ClaimKey` or raises
`KeyRuleError` with a message saying what to claim instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from registry_service.claims.domains import DomainError, DomainName, parse_domain
from registry_service.resolve.domains import host_info
from registry_service.resolve.keys import ACCOUNT_NAMESPACE
from registry_service.resolve.platforms import BY_NAMESPACE, Platform, adapter_for
from registry_service.resolve.urls import InvalidUrl

# Every platform the resolver knows is one a creator can claim, spelled the same way.
PLATFORMS: dict[str, type[Platform]] = BY_NAMESPACE


class KeyRuleError(ValueError):
    """This key cannot be claimed; `code` is the API error code, the message says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ClaimKey:
    key: str  # "<namespace>:<id>", normalised
    namespace: str
    id: str
    domain: DomainName | None = None  # for domain: keys

    @property
    def is_domain(self) -> bool:
        return self.namespace == "domain"

    @property
    def platform(self) -> type[Platform] | None:
        return PLATFORMS.get(self.namespace)

    @property
    def rate_scope(self) -> str:
        """What attempts are counted against: the registrable domain, or the key itself."""
        return self.domain.registrable if self.domain is not None else self.key


def tenant_platform_key(host: str) -> str | None:
    """The platform key a host belongs to (`alice.github.io` -> `github:alice`), if any."""
    try:
        info = host_info(host.lower().rstrip("."))
    except InvalidUrl:
        return None
    adapter = adapter_for(info)
    tenant = adapter.tenant_of(info) if adapter is not None else None
    return adapter.make_key(adapter.normalize_id(tenant), info.host) if tenant else None


def parse_claim_key(raw: str) -> ClaimKey:
    """Validate and normalise a key a person wants to claim."""
    text = (raw or "").strip()
    if text.lower().startswith(("http://", "https://")):
        raise KeyRuleError(
            "invalid_key",
            "That is a URL, not a key. Claim a key such as domain:example.org or github:alice "
            "(GET /api/v1/resolve?url=... tells which key a page pays).",
        )
    namespace, sep, ident = text.partition(":")
    namespace = namespace.strip().lower()
    ident = ident.strip()
    if not sep or not namespace or not ident:
        raise KeyRuleError(
            "invalid_key", f"{text!r} is not a key: a key looks like domain:example.org."
        )
    if namespace == ACCOUNT_NAMESPACE:
        raise KeyRuleError(
            "key_not_claimable",
            f"{namespace}:{ident} is an account of this service and always belongs to it; "
            "there is nothing to claim.",
        )
    if namespace == "domain":
        return _domain_key(ident)
    if namespace == "flattr":
        ident = ident.lower()  # the resolver spells legacy ids in lowercase
        if not re.fullmatch(r"[a-z0-9_.-]{1,64}", ident):
            raise KeyRuleError("invalid_key", f"{ident!r} is not a legacy Flattr id.")
        return ClaimKey(f"flattr:{ident}", "flattr", ident)
    platform = PLATFORMS.get(namespace)
    if platform is None:
        known = ", ".join(["domain", *PLATFORMS, "flattr"])
        raise KeyRuleError(
            "unknown_namespace", f"{namespace}: is not a kind of key we know. Known: {known}."
        )
    return _platform_key(platform, ident)


def _domain_key(ident: str) -> ClaimKey:
    try:
        domain = parse_domain(ident)
    except DomainError as exc:
        if not exc.public_suffix:
            raise KeyRuleError(
                "invalid_key", f"domain:{ident.strip()} cannot be claimed: {exc}."
            ) from None
        example = tenant_platform_key(f"yourname.{exc.public_suffix}")
        instead = (
            f"claim your own account's key, like {example}"
            if example
            else f"claim your own domain under it, like domain:yourname.{exc.public_suffix}"
        )
        raise KeyRuleError(
            "public_suffix",
            f"{exc.public_suffix} is a public suffix: nobody can claim it; {instead}.",
        ) from None
    platform_key = tenant_platform_key(domain.host)
    if platform_key is not None:
        label = PLATFORMS[platform_key.split(":", 1)[0]].label
        raise KeyRuleError(
            "claim_platform_key",
            f"{domain.host} belongs to an account on {label}: pages there pay {platform_key}, "
            f"so claim {platform_key} instead.",
        )
    return ClaimKey(f"domain:{domain.host}", "domain", domain.host, domain)


def _platform_key(platform: type[Platform], ident: str) -> ClaimKey:
    key = platform.key_for_id(ident)
    if key is None:
        bare = ident.removeprefix("@").lower()
        if bare in platform.reserved:
            raise KeyRuleError(
                "key_not_claimable",
                f"{platform.namespace}:{bare} is one of {platform.label}'s own pages, "
                "not an account.",
            )
        hint = ""
        if platform.namespace == "mastodon":
            hint = " A fediverse key names the account and its server: user@example.social."
        elif platform.namespace == "youtube":
            hint = " Give the channel id (UC...) or the @handle."
        raise KeyRuleError(
            "invalid_key", f"{ident!r} is not a valid {platform.label} account name.{hint}"
        )
    return ClaimKey(key, platform.namespace, key.partition(":")[2])
