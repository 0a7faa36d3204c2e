"""Tumblr: {blog}.tumblr.com and tumblr.com/{blog} (a host of creators, like Blogger)."""

from registry_service.resolve.platforms.base import Platform, Rule


class Tumblr(Platform):
    namespace = "tumblr"
    label = "Tumblr"
    hosts = ("tumblr.com",)
    tenant_hosts = ("tumblr.com",)
    reserved_tenants = frozenset(
        ["www", "assets", "media", "api", "help", "static", "secure", "embed"]
    )
    id_pattern = r"[a-z0-9](?:[a-z0-9-]{0,31})"
    rules = (Rule("/blog/view/{id}"), Rule("/{id}"))
    reserved = frozenset(
        [
            "dashboard",
            "explore",
            "search",
            "tagged",
            "likes",
            "following",
            "settings",
            "inbox",
            "new",
            "login",
            "register",
            "logout",
            "about",
            "policy",
            "privacy",
            "help",
            "support",
            "apps",
            "tags",
            "docs",
            "blog",
            "communities",
            "activity",
            "reblog",
            "premium",
            "business",
            "jobs",
            "developers",
            "oauth",
            "robots.txt",
            "favicon.ico",
        ]
    )
