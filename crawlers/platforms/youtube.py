"""YouTube: a video page → its channel id; an `@handle` page → the channel id it stands for.

The channel id (`UC` + 22 characters, case kept) is immutable: `youtube:UC…` is the key,
and `youtube:@handle` becomes an alias of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import SplitResult, unquote

from crawlers.extract.signals import Signals
from crawlers.platforms.base import Platform

CHANNEL_ID = r"UC[A-Za-z0-9_-]{22}"
_CHANNEL_ID = re.compile(rf"^{CHANNEL_ID}$")
_TAG = re.compile(r"<(?:meta|link)\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([a-zA-Z:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CHANNEL_URL = re.compile(rf"youtube\.com/channel/({CHANNEL_ID})(?:[/?#]|$)")
# The page's own data (ytInitialPlayerResponse / ytInitialData), as fallbacks.
_VIDEO_OWNER = re.compile(rf'"videoDetails"\s*:\s*\{{[^{{}}]*?"channelId"\s*:\s*"({CHANNEL_ID})"')
_CHANNEL_META = re.compile(
    rf'"channelMetadataRenderer"\s*:\s*\{{[^{{}}]*?"externalId"\s*:\s*"({CHANNEL_ID})"'
)
_OWNER_HANDLE = re.compile(
    r'"ownerProfileUrl"\s*:\s*"https?:\\?/\\?/(?:www\.)?youtube\.com\\?/@([^"\\/?]+)"'
)
HANDLE = re.compile(r"^[A-Za-z0-9_.\-\u00b7\u0080-\uffff]{3,100}$")


def _tags(text: str) -> list[dict[str, str]]:
    tags = []
    for match in _TAG.finditer(text):
        attrs = {
            m.group(1).lower(): (m.group(2) or m.group(3) or "")
            for m in _ATTR.finditer(match.group(0))
        }
        tags.append(attrs)
    return tags


def channel_id_of(text: str, *, video: bool) -> str | None:
    """The page owner's channel id, from the most reliable place that has one."""
    tags = _tags(text)
    for attrs in tags:  # microdata of the video / channel
        if attrs.get("itemprop", "").lower() in ("channelid", "identifier"):
            value = attrs.get("content", "").strip()
            if _CHANNEL_ID.match(value):
                return value
    for attrs in tags:  # canonical / og:url of a channel page; owner link of a video
        if (
            attrs.get("rel", "").lower() == "canonical"
            or attrs.get("property") == "og:url"
            or (attrs.get("itemprop") == "url")
        ):
            match = _CHANNEL_URL.search(attrs.get("href") or attrs.get("content") or "")
            if match and (not video or attrs.get("itemprop") == "url"):
                return match.group(1)
    pattern = _VIDEO_OWNER if video else _CHANNEL_META
    match = pattern.search(text)
    return match.group(1) if match else None


def handle_of(parts: SplitResult) -> str | None:
    first = unquote(parts.path).split("/")[1] if parts.path.count("/") else ""
    if first.startswith("@") and HANDLE.match(first[1:]):
        return first[1:].lower()
    return None


@dataclass(frozen=True)
class YouTube(Platform):
    def extract(self, body: bytes, parts: SplitResult) -> Signals:
        found = Signals()
        text = body.decode("utf-8", errors="replace")
        handle = handle_of(parts)
        channel_id = channel_id_of(text, video=handle is None)
        if channel_id is None:
            return found
        found.platform_key = f"youtube:{channel_id}"
        if handle:
            found.aliases[f"youtube:@{handle}"] = found.platform_key
        else:
            owner = _OWNER_HANDLE.search(text)
            if owner and HANDLE.match(unquote(owner.group(1))):
                found.aliases[f"youtube:@{unquote(owner.group(1)).lower()}"] = found.platform_key
        return found


PLATFORM = YouTube(
    name="youtube",
    hosts=frozenset({"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"}),
    crawled_paths=(
        re.compile(r"^/watch$"),
        re.compile(r"^/(shorts|live|embed|v)/[^/]+"),
        re.compile(r"^/@[^/]+"),
        re.compile(r"^/(c|user)/[^/]+"),
        re.compile(r"^/[A-Za-z0-9_-]{6,}$"),  # youtu.be/<video id>
    ),
)
