"""SoundCloud: soundcloud.com/{user}."""

from registry_service.resolve.platforms.base import Platform, Rule


class SoundCloud(Platform):
    namespace = "soundcloud"
    label = "SoundCloud"
    hosts = ("soundcloud.com", "on.soundcloud.com")
    prefixes = ("m.",)
    id_pattern = r"[a-z0-9_-]{1,50}"
    rules = (
        Rule("/*", crawl=True, hosts=("on.soundcloud.com",)),  # short links
        Rule("/{id}", hosts=("soundcloud.com",)),
    )
    reserved = frozenset(
        [
            "discover",
            "stream",
            "search",
            "upload",
            "you",
            "settings",
            "messages",
            "notifications",
            "charts",
            "pages",
            "terms-of-use",
            "imprint",
            "popular",
            "mobile",
            "jobs",
            "go",
            "pro",
            "tags",
            "stations",
            "signin",
            "signup",
            "logout",
            "connect",
            "feed",
            "home",
            "for-artists",
            "artists",
            "creators",
            "press",
            "community-guidelines",
            "api",
            "oembed",
            "player",
            "apps",
            "explore",
            "sitemap",
            "robots.txt",
            "favicon.ico",
            "people",
        ]
    )
