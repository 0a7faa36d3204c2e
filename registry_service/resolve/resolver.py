"""URL -> creator key. (Placeholder: registrable domain only, until the resolver lands.)"""

from __future__ import annotations

from dataclasses import dataclass, field

from registry_service.claims.ownership import owners_of
from registry_service.context import Context
from registry_service.resolve.urls import InvalidUrl, normalize_url

SERVICE_NAME = "resolver"


@dataclass(frozen=True)
class Resolution:
    url: str
    normalized: str
    key: str
    keys: tuple[str, ...]
    source: str  # meta | path | platform | subdomain | domain
    pending: bool = False
    claimed: bool = False
    creator: dict | None = field(default=None)

    def to_json(self) -> dict:
        return {
            "url": self.url,
            "normalized": self.normalized,
            "key": self.key,
            "keys": list(self.keys),
            "source": self.source,
            "pending": self.pending,
            "claimed": self.claimed,
            "creator": self.creator,
        }


class Resolver:
    def __init__(self, context: Context) -> None:
        self.context = context

    async def resolve(self, url: str, *, crawl: bool = True) -> Resolution:
        normalized = normalize_url(url)
        host = normalized.split("/")[2]
        key = "domain:" + ".".join(host.removeprefix("www.").split(".")[-2:])
        owners = await owners_of(self.context.db, [key])
        return Resolution(url, normalized, key, (key,), "domain", claimed=key in owners)

    async def resolve_many(self, urls: list[str], *, crawl: bool = False) -> list:
        out: list[Resolution | InvalidUrl] = []
        for url in urls:
            try:
                out.append(await self.resolve(url, crawl=crawl))
            except InvalidUrl as exc:
                out.append(exc)
        return out


def get_resolver(context: Context) -> Resolver:
    """The process's resolver (with its cache), created on first use."""
    resolver = context.services.get(SERVICE_NAME)
    if resolver is None:
        resolver = context.services[SERVICE_NAME] = Resolver(context)
    return resolver
