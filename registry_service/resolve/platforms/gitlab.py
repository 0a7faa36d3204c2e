"""GitLab: gitlab.com/{namespace}/... and {namespace}.gitlab.io."""

from registry_service.resolve.platforms.base import Platform, Rule


class GitLab(Platform):
    namespace = "gitlab"
    label = "GitLab"
    hosts = ("gitlab.com",)
    tenant_hosts = ("gitlab.io",)
    id_pattern = r"[a-z0-9_](?:[a-z0-9_.-]{0,254})"
    rules = (Rule("/users/{id}"), Rule("/{id}"))
    # GitLab's reserved top-level routes and product pages (paths are case-insensitive).
    reserved = frozenset(
        [
            "-",
            ".well-known",
            "404.html",
            "422.html",
            "500.html",
            "502.html",
            "503.html",
            "admin",
            "api",
            "apple-touch-icon.png",
            "assets",
            "dashboard",
            "deploy.html",
            "explore",
            "favicon.ico",
            "favicon.png",
            "files",
            "groups",
            "health_check",
            "help",
            "import",
            "jwt",
            "login",
            "oauth",
            "profile",
            "projects",
            "public",
            "robots.txt",
            "s",
            "search",
            "sitemap",
            "sitemap.xml",
            "sitemap.xml.gz",
            "snippets",
            "unsubscribes",
            "uploads",
            "users",
            "v2",
            "sign_in",
            "sign_up",
            "password",
            "confirmation",
            "unlock",
            "auth",
            "pricing",
            "features",
            "install",
            "blog",
            "company",
            "solutions",
            "topics",
        ]
    )
