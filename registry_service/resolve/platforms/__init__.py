"""Platform adapters: multi-tenant hosts where the site owner is not the creator.

Adding a platform = one module here with a `Platform` subclass, listed in `ADAPTERS`,
plus its rows in tests/unit/resolve/platform_cases.py.
"""

from __future__ import annotations

from functools import lru_cache

from registry_service.resolve.domains import HostInfo
from registry_service.resolve.platforms.bandcamp import Bandcamp
from registry_service.resolve.platforms.base import Platform, PlatformMatch, Rule
from registry_service.resolve.platforms.blogger import Blogger
from registry_service.resolve.platforms.bluesky import Bluesky
from registry_service.resolve.platforms.codeberg import Codeberg
from registry_service.resolve.platforms.devto import DevTo
from registry_service.resolve.platforms.github import GitHub
from registry_service.resolve.platforms.gitlab import GitLab
from registry_service.resolve.platforms.itchio import ItchIo
from registry_service.resolve.platforms.mastodon import Mastodon
from registry_service.resolve.platforms.medium import Medium
from registry_service.resolve.platforms.reddit import Reddit
from registry_service.resolve.platforms.soundcloud import SoundCloud
from registry_service.resolve.platforms.sourcehut import SourceHut
from registry_service.resolve.platforms.substack import Substack
from registry_service.resolve.platforms.tumblr import Tumblr
from registry_service.resolve.platforms.twitch import Twitch
from registry_service.resolve.platforms.twitter import Twitter
from registry_service.resolve.platforms.vimeo import Vimeo
from registry_service.resolve.platforms.wordpress import WordPress
from registry_service.resolve.platforms.youtube import YouTube
from registry_service.resolve.urls import ParsedUrl

ADAPTERS: tuple[type[Platform], ...] = (
    GitHub,
    GitLab,
    Codeberg,
    YouTube,
    Twitter,
    Mastodon,
    Bluesky,
    Twitch,
    Reddit,
    Medium,
    Substack,
    DevTo,
    Bandcamp,
    SoundCloud,
    WordPress,
    Blogger,
    Vimeo,
    Tumblr,
    ItchIo,
    SourceHut,
)
BY_NAMESPACE: dict[str, type[Platform]] = {a.namespace: a for a in ADAPTERS}
FEDIVERSE = Mastodon

__all__ = ["ADAPTERS", "BY_NAMESPACE", "Platform", "PlatformMatch", "Rule", "platform_of"]


@lru_cache(maxsize=65536)
def _static_adapter(info: HostInfo) -> type[Platform] | None:
    for adapter in ADAPTERS:
        if adapter.serves(info):
            return adapter
    return None


def adapter_for(info: HostInfo, fediverse_hosts: frozenset[str] = frozenset()):
    """The adapter serving this host, if any (fediverse hosts learned at run time included)."""
    adapter = _static_adapter(info)
    if adapter is None and fediverse_hosts and FEDIVERSE.serves(info, fediverse_hosts):
        return FEDIVERSE
    return adapter


def platform_of(
    url: ParsedUrl, info: HostInfo, fediverse_hosts: frozenset[str] = frozenset()
) -> tuple[type[Platform] | None, PlatformMatch | None]:
    """(the adapter serving the host, the platform key of this URL or None for its own pages)."""
    adapter = adapter_for(info, fediverse_hosts)
    if adapter is None:
        return None, None
    return adapter, adapter.match(url, info, fediverse_hosts)


def looks_fediverse(url: ParsedUrl) -> bool:
    """A path shaped like a fediverse profile (worth asking whether the host is an instance)."""
    return url.path.startswith(("/@", "/users/")) and len(url.path) > 2
