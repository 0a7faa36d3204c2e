"""Codeberg (Forgejo): codeberg.org/{user}/... and {user}.codeberg.page."""

from registry_service.resolve.platforms.base import Platform, Rule


class Codeberg(Platform):
    namespace = "codeberg"
    label = "Codeberg"
    hosts = ("codeberg.org",)
    tenant_hosts = ("codeberg.page",)
    id_pattern = r"[a-z0-9_](?:[a-z0-9_.-]{0,39})"
    rules = (Rule("/{id}"),)
    # Forgejo's reserved user names (they are its top-level routes).
    reserved = frozenset(
        [
            ".",
            "..",
            ".well-known",
            "admin",
            "api",
            "assets",
            "attachments",
            "avatar",
            "avatars",
            "captcha",
            "commits",
            "debug",
            "devtest",
            "error",
            "explore",
            "favicon.ico",
            "forgejo-actions",
            "gitea-actions",
            "ghost",
            "issues",
            "login",
            "manifest.json",
            "metrics",
            "milestones",
            "new",
            "notifications",
            "org",
            "pulls",
            "raw",
            "repo",
            "repo-avatars",
            "robots.txt",
            "search",
            "serviceworker.js",
            "ssh_info",
            "swagger.v1.json",
            "user",
            "v2",
            "sitemap.xml",
        ]
    )
