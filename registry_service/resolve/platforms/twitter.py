"""Twitter / X: twitter.com/{handle}, x.com/{handle} and their mobile hosts."""

from registry_service.resolve.platforms.base import Platform, Rule


class Twitter(Platform):
    namespace = "twitter"
    label = "X (Twitter)"
    hosts = ("twitter.com", "x.com")
    prefixes = ("mobile.", "m.")
    id_pattern = r"[a-z0-9_]{1,20}"
    rules = (Rule("/{id}"),)
    reserved = frozenset(
        [
            "home",
            "explore",
            "search",
            "i",
            "settings",
            "intent",
            "hashtag",
            "login",
            "logout",
            "signup",
            "messages",
            "notifications",
            "compose",
            "tos",
            "privacy",
            "about",
            "jobs",
            "download",
            "share",
            "account",
            "oauth",
            "who_to_follow",
            "rules",
            "en",
            "welcome",
            "sw.js",
            "manifest.json",
            "verified-choose",
            "communities",
            "premium_sign_up",
            "session",
            "sessions",
            "flow",
            "business",
            "tweetdeck",
            "connect_people",
            "keyboard_shortcuts",
            "display",
            "bookmarks",
            "topics",
            "lists",
            "logout_confirmation",
            "account_activity",
            "safety",
            "help",
            "personalization",
            "your_twitter_data",
        ]
    )
