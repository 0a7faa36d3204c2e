"""GitHub repository pages: where their `FUNDING.yml` may be."""

from __future__ import annotations

import re
from urllib.parse import SplitResult

HOSTS = frozenset({"github.com", "www.github.com"})
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
# First path segments that belong to GitHub itself, not to an account.
RESERVED = frozenset(
    {
        "about", "features", "pricing", "login", "logout", "join", "settings", "explore",
        "marketplace", "topics", "search", "notifications", "new", "orgs", "sponsors",
        "organizations", "enterprise", "collections", "trending", "apps", "site", "security",
        "customer-stories", "readme", "team", "contact", "pulls", "issues", "codespaces",
        "account", "dashboard", "events", "stars", "watching", "users",
    }
)  # fmt: skip
RAW = "https://raw.githubusercontent.com"
# Where GitHub itself looks: the repository, then the account's `.github` repository.
FUNDING_PATHS = (".github/FUNDING.yml", "FUNDING.yml", "docs/FUNDING.yml")


def repository_of(parts: SplitResult) -> tuple[str, str] | None:
    if (parts.hostname or "").lower() not in HOSTS:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 2 or segments[0].lower() in RESERVED:
        return None
    owner, repo = segments[0], segments[1].removesuffix(".git")
    if not NAME.match(owner) or not NAME.match(repo):
        return None
    return owner, repo


def funding_file_urls(owner: str, repo: str) -> list[str]:
    urls = [f"{RAW}/{owner}/{repo}/HEAD/{path}" for path in FUNDING_PATHS]
    if repo != ".github":
        urls += [f"{RAW}/{owner}/.github/HEAD/{path}" for path in FUNDING_PATHS[:2]]
    return urls
