"""Platform adapters: pages whose creator is only found in the page itself."""

from __future__ import annotations

from urllib.parse import SplitResult

from crawlers.platforms.base import Platform
from crawlers.platforms.video_sites import TWITCH, VIMEO
from crawlers.platforms.youtube import PLATFORM as YOUTUBE

PLATFORMS: tuple[Platform, ...] = (YOUTUBE, VIMEO, TWITCH)


def platform_for(parts: SplitResult) -> Platform | None:
    for platform in PLATFORMS:
        if platform.matches(parts):
            return platform
    return None


def is_platform_host(host: str) -> bool:
    return any(host in platform.hosts for platform in PLATFORMS)


__all__ = ["PLATFORMS", "Platform", "is_platform_host", "platform_for"]
