"""DEV: dev.to/{user or organisation}."""

from registry_service.resolve.platforms.base import Platform, Rule


class DevTo(Platform):
    namespace = "devto"
    label = "DEV"
    hosts = ("dev.to",)
    id_pattern = r"[a-z0-9_]{1,30}"
    rules = (Rule("/{id}"),)
    reserved = frozenset(
        [
            "t",
            "top",
            "latest",
            "search",
            "settings",
            "enter",
            "dashboard",
            "notifications",
            "readinglist",
            "new",
            "about",
            "faq",
            "code-of-conduct",
            "privacy",
            "terms",
            "contact",
            "sponsors",
            "shop",
            "listings",
            "videos",
            "podcasts",
            "pod",
            "tags",
            "api",
            "admin",
            "connect",
            "signout_confirm",
            "users",
            "report-abuse",
            "badges",
            "social_previews",
            "mod",
            "community-moderation",
            "leaderboard",
            "series",
            "challenges",
            "robots.txt",
            "favicon.ico",
            "sitemap",
        ]
    )
