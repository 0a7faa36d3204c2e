"""Twitch: twitch.tv/{login}; videos and clips name their channel only on the page."""

from registry_service.resolve.platforms.base import Platform, Rule


class Twitch(Platform):
    namespace = "twitch"
    label = "Twitch"
    hosts = ("twitch.tv", "clips.twitch.tv")
    prefixes = ("m.", "go.")
    id_pattern = r"[a-z0-9_]{1,25}"
    rules = (
        Rule("/*", crawl=True, hosts=("clips.twitch.tv",)),
        Rule("/videos/*", crawl=True),
        Rule("/popout/{id}"),
        Rule("/embed/{id}"),
        Rule("/moderator/{id}"),
        Rule("/{id}"),
    )
    reserved = frozenset(
        [
            "directory",
            "settings",
            "p",
            "search",
            "subscriptions",
            "inventory",
            "wallet",
            "drops",
            "downloads",
            "jobs",
            "turbo",
            "prime",
            "store",
            "friends",
            "messages",
            "login",
            "signup",
            "logout",
            "videos",
            "popout",
            "embed",
            "moderator",
            "broadcast",
            "dashboard",
            "team",
            "collections",
            "bits",
            "user",
            "privacy",
            "products",
            "redeem",
            "creatorcamp",
            "activate",
            "safety",
            "legal",
            "partner",
            "affiliate",
            "following",
            "payments",
            "notifications",
            "whispers",
            "year-in-review",
            "robots.txt",
            "favicon.ico",
        ]
    )
