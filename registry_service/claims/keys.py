"""Which keys can be claimed, in their one normalised spelling (see creator-keys.md).

Pure functions. `parse_claim_key` turns what a person typed into a `ClaimKey` or raises
`KeyRuleError` with a message saying what to claim instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from registry_service.claims.domains import DomainError, DomainName, normalize_host, parse_domain

ACCOUNT_NAMESPACE = "omniflattr"


class KeyRuleError(ValueError):
    """This key cannot be claimed; `code` is the API error code, the message says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Platform:
    namespace: str
    label: str  # how people call it
    id_pattern: str  # over the normalised id
    case_sensitive: bool = False
    reserved: frozenset[str] = frozenset()
    tenant_suffixes: tuple[str, ...] = ()  # {id}.<suffix> hosts that belong to this account


def _reserved(*names: str) -> frozenset[str]:
    return frozenset(names)


PLATFORMS: dict[str, Platform] = {
    p.namespace: p
    for p in (
        Platform(
            "github",
            "GitHub",
            r"[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,38}",
            reserved=_reserved(
                "about",
                "features",
                "pricing",
                "login",
                "logout",
                "join",
                "settings",
                "explore",
                "marketplace",
                "topics",
                "search",
                "notifications",
                "new",
                "orgs",
                "sponsors",
                "organizations",
                "site",
                "security",
                "enterprise",
                "collections",
                "trending",
                "issues",
                "pulls",
                "apps",
                "contact",
                "team",
            ),
            tenant_suffixes=("github.io",),
        ),
        Platform(
            "gitlab",
            "GitLab",
            r"[a-z0-9_](?:[a-z0-9_.-]{0,253}[a-z0-9_])?",
            reserved=_reserved("explore", "help", "users", "dashboard", "admin", "api", "-"),
            tenant_suffixes=("gitlab.io",),
        ),
        Platform(
            "codeberg",
            "Codeberg",
            r"[a-z0-9_](?:[a-z0-9_.-]{0,38}[a-z0-9_])?",
            reserved=_reserved("explore", "user", "api", "admin", "repo", "org", "notifications"),
            tenant_suffixes=("codeberg.page",),
        ),
        # Channel ids keep their case; handles (with @) are lowercased.
        Platform("youtube", "YouTube", r"UC[A-Za-z0-9_-]{22}|@[a-z0-9._-]{3,30}", True),
        Platform(
            "twitter",
            "X (Twitter)",
            r"[a-z0-9_]{1,15}",
            reserved=_reserved(
                "home",
                "explore",
                "search",
                "i",
                "settings",
                "intent",
                "hashtag",
                "login",
                "messages",
                "notifications",
                "tos",
                "privacy",
            ),
        ),
        Platform(
            "mastodon",
            "Mastodon (fediverse)",
            r"[a-z0-9_](?:[a-z0-9_.-]{0,62}[a-z0-9_])?@[a-z0-9.-]+\.[a-z0-9-]+",
        ),
        Platform("bluesky", "Bluesky", r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"),
        Platform(
            "twitch",
            "Twitch",
            r"[a-z0-9_]{2,25}",
            reserved=_reserved("directory", "settings", "p", "downloads", "jobs", "search"),
        ),
        Platform("reddit", "Reddit", r"[a-z0-9_-]{3,20}"),
        Platform("medium", "Medium", r"[a-z0-9_.]{1,30}", tenant_suffixes=("medium.com",)),
        Platform("substack", "Substack", r"[a-z0-9-]{1,63}", tenant_suffixes=("substack.com",)),
        Platform("devto", "DEV", r"[a-z0-9_]{1,30}"),
        Platform("bandcamp", "Bandcamp", r"[a-z0-9-]{1,63}", tenant_suffixes=("bandcamp.com",)),
        Platform("soundcloud", "SoundCloud", r"[a-z0-9_-]{1,64}"),
        Platform(
            "wordpress", "WordPress.com", r"[a-z0-9-]{1,63}", tenant_suffixes=("wordpress.com",)
        ),
        Platform("blogger", "Blogger", r"[a-z0-9-]{1,63}", tenant_suffixes=("blogspot.com",)),
        Platform("vimeo", "Vimeo", r"(?![0-9]+$)[a-z0-9_]{1,64}"),
        Platform(
            "tumblr",
            "Tumblr",
            r"[a-z0-9](?:[a-z0-9-]{0,31})",
            reserved=_reserved("dashboard", "explore", "search", "tagged", "settings", "login"),
            tenant_suffixes=("tumblr.com",),
        ),
        Platform(
            "itchio", "itch.io", r"[a-z0-9](?:[a-z0-9_-]{0,62})", tenant_suffixes=("itch.io",)
        ),
        Platform(
            "sourcehut", "SourceHut", r"[a-z_][a-z0-9_-]{1,29}", tenant_suffixes=("srht.site",)
        ),
    )
}

# Sub-domains of tenant platforms that are the platform's own, not an account's.
_PLATFORM_OWN_LABELS = frozenset(
    {
        "www",
        "m",
        "api",
        "help",
        "support",
        "blog",
        "cdn",
        "static",
        "policy",
        "docs",
        "status",
        "about",
        "en",
        "on",
        "daily",
        "get",
        "developer",
        "public-api",
        "mail",
        "smtp",
    }
)
_BLOGSPOT = re.compile(r"^(?:.+\.)?([a-z0-9-]+)\.blogspot\.[a-z]{2,3}(?:\.[a-z]{2})?$")


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
    def platform(self) -> Platform | None:
        return PLATFORMS.get(self.namespace)

    @property
    def rate_scope(self) -> str:
        """What attempts are counted against: the registrable domain, or the key itself."""
        return self.domain.registrable if self.domain is not None else self.key


def tenant_platform_key(host: str) -> str | None:
    """The platform key a host belongs to (`alice.github.io` -> `github:alice`), if any."""
    host = host.lower().rstrip(".")
    match = _BLOGSPOT.match(host)
    if match and match.group(1) not in _PLATFORM_OWN_LABELS:
        return f"blogger:{match.group(1)}"
    for platform in PLATFORMS.values():
        for suffix in platform.tenant_suffixes:
            if not host.endswith("." + suffix):
                continue
            label = host[: -len(suffix) - 1].rsplit(".", 1)[-1]
            if label in _PLATFORM_OWN_LABELS or not re.fullmatch(platform.id_pattern, label):
                return None
            return f"{platform.namespace}:{label}"
    return None


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


def _platform_key(platform: Platform, ident: str) -> ClaimKey:
    if platform.namespace == "mastodon":
        ident = _mastodon_id(ident)
    elif platform.namespace == "youtube":
        ident = ident if ident.startswith("UC") else ident.lower()
    elif platform.namespace == "bluesky" or not platform.case_sensitive:
        ident = ident.lstrip("@").lower()
    if not re.fullmatch(platform.id_pattern, ident):
        raise KeyRuleError(
            "invalid_key", f"{ident!r} is not a valid {platform.label} account name."
        )
    if ident in platform.reserved:
        raise KeyRuleError(
            "key_not_claimable",
            f"{platform.namespace}:{ident} is one of {platform.label}'s own pages, not an account.",
        )
    return ClaimKey(f"{platform.namespace}:{ident}", platform.namespace, ident)


def _mastodon_id(ident: str) -> str:
    user, sep, instance = ident.lstrip("@").rpartition("@")
    if not sep or not user:
        raise KeyRuleError(
            "invalid_key", "A fediverse key names the account and its server: user@example.social."
        )
    try:
        host = normalize_host(instance)
    except DomainError as exc:
        raise KeyRuleError("invalid_key", f"The server of {ident!r} is not valid: {exc}.") from None
    return f"{user.lower()}@{host}"
