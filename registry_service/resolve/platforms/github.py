"""GitHub: github.com/{login}, orgs, sponsors, gists, raw files and {login}.github.io."""

from registry_service.resolve.platforms.base import Platform, Rule


class GitHub(Platform):
    namespace = "github"
    label = "GitHub"
    hosts = ("github.com", "gist.github.com", "raw.githubusercontent.com")
    tenant_hosts = ("github.io",)
    # Logins: letters, digits and hyphens, at most 39 characters (no dots: /robots.txt).
    id_pattern = r"[a-z0-9](?:[a-z0-9-]{0,38})"
    rules = (
        Rule("/orgs/{id}", hosts=("github.com",)),
        Rule("/sponsors/{id}", hosts=("github.com",)),
        Rule("/users/{id}", hosts=("github.com",)),
        Rule("/{id}"),
    )
    # github.com's own pages; logins with these names cannot exist.
    reserved = frozenset(
        [
            "about",
            "account",
            "apps",
            "blog",
            "business",
            "codespaces",
            "collections",
            "contact",
            "copilot",
            "customer-stories",
            "dashboard",
            "discussions",
            "enterprise",
            "enterprises",
            "events",
            "explore",
            "features",
            "git-guides",
            "github-copilot",
            "home",
            "issues",
            "join",
            "login",
            "logout",
            "marketplace",
            "mobile",
            "models",
            "new",
            "notifications",
            "nonprofit",
            "open-source",
            "orgs",
            "organizations",
            "partners",
            "password_reset",
            "premium-support",
            "pricing",
            "pulls",
            "readme",
            "resources",
            "search",
            "security",
            "sessions",
            "settings",
            "signup",
            "site",
            "solutions",
            "sponsors",
            "stars",
            "status",
            "team",
            "teams",
            "topics",
            "trending",
            "users",
            "watching",
            "codesearch",
            "auth",
            "mine",
            "starred",
            "discover",
        ]
    )
