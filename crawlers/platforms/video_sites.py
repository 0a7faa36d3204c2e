"""Vimeo and Twitch videos: the owner's account, read from the page."""

from __future__ import annotations

import re

from crawlers.platforms.base import VideoOwnerPlatform

VIMEO = VideoOwnerPlatform(
    name="vimeo",
    hosts=frozenset({"vimeo.com", "www.vimeo.com", "player.vimeo.com"}),
    crawled_paths=(
        re.compile(r"^/(\d+)(/|$)"),
        re.compile(r"^/video/(\d+)"),
        re.compile(r"^/(channels|groups)/[^/]+/(videos/)?\d+"),
    ),
    namespace="vimeo",
    owner_url=re.compile(
        r"^https?://(?:www\.)?vimeo\.com/([A-Za-z][A-Za-z0-9_-]{1,63})/?(?:[?#]|$)"
    ),
    reserved=frozenset(
        {"channels", "groups", "categories", "watch", "upload", "features", "about", "help"}
    ),
    data_patterns=(re.compile(r'"owner"\s*:\s*\{[^{}]*?"url"\s*:\s*"([^"]+)"'),),
)

TWITCH = VideoOwnerPlatform(
    name="twitch",
    hosts=frozenset({"twitch.tv", "www.twitch.tv", "m.twitch.tv", "clips.twitch.tv"}),
    # A video, or a clip on clips.twitch.tv (slugs have a hyphen; logins cannot).
    crawled_paths=(re.compile(r"^/videos/\d+"), re.compile(r"^/[A-Za-z0-9_]+-[A-Za-z0-9_-]+$")),
    namespace="twitch",
    owner_url=re.compile(r"^https?://(?:www\.|m\.)?twitch\.tv/([A-Za-z0-9_]{3,25})/?(?:[?#]|$)"),
    reserved=frozenset({"videos", "directory", "settings", "p", "downloads", "jobs", "search"}),
    data_patterns=(
        re.compile(r'"owner"\s*:\s*\{[^{}]*?"url"\s*:\s*"([^"]+)"'),
        re.compile(r'"broadcaster"\s*:\s*\{[^{}]*?"url"\s*:\s*"([^"]+)"'),
    ),
)
