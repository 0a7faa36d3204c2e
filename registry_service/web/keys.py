"""Creator keys as people see them: where a key's public profile lives (for `rel="me"`)."""

from __future__ import annotations

import re

# namespace -> how the profile URL of an id is built. Only keys with one public profile
# page are listed; a key without an entry is shown as text.
_PROFILES = {
    "github": "https://github.com/{id}",
    "gitlab": "https://gitlab.com/{id}",
    "codeberg": "https://codeberg.org/{id}",
    "twitter": "https://x.com/{id}",
    "bluesky": "https://bsky.app/profile/{id}",
    "twitch": "https://www.twitch.tv/{id}",
    "reddit": "https://www.reddit.com/user/{id}",
    "medium": "https://medium.com/@{id}",
    "substack": "https://{id}.substack.com/",
    "devto": "https://dev.to/{id}",
    "bandcamp": "https://{id}.bandcamp.com/",
    "soundcloud": "https://soundcloud.com/{id}",
    "wordpress": "https://{id}.wordpress.com/",
    "blogger": "https://{id}.blogspot.com/",
    "vimeo": "https://vimeo.com/{id}",
    "domain": "https://{id}/",
}
_SAFE_ID = re.compile(r"^[A-Za-z0-9._~-]+$")
_HOST = re.compile(r"^[a-z0-9.-]+$")


def split_key(key: str) -> tuple[str, str]:
    namespace, _, ident = key.partition(":")
    return namespace, ident


def profile_url(key: str) -> str | None:
    """The public page of the account or site behind a key, or None.

    `mastodon:alice@example.social` -> `https://example.social/@alice`;
    `youtube:UC…` -> its channel; `youtube:@name` -> its handle page.
    """
    namespace, ident = split_key(key)
    if namespace == "mastodon":
        user, at, host = ident.partition("@")
        if at and _SAFE_ID.match(user) and _HOST.match(host):
            return f"https://{host}/@{user}"
        return None
    if namespace == "youtube":
        if ident.startswith("@") and _SAFE_ID.match(ident[1:]):
            return f"https://www.youtube.com/{ident}"
        if _SAFE_ID.match(ident):
            return f"https://www.youtube.com/channel/{ident}"
        return None
    pattern = _PROFILES.get(namespace)
    if pattern is None or not ident or not _SAFE_ID.match(ident):
        return None
    return pattern.format(id=ident)
