"""GitHub: the profile's bio, website and social links, the `login/login` profile README,
and public gists (the gist list, or one gist named by its URL)."""

from __future__ import annotations

import re

from registry_service.claims.proofs.base import ProofAdapter, Source, q

GIST_URL = re.compile(r"https://gist\.github\.com/([A-Za-z0-9-]+)/([0-9a-f]{5,40})/?")


class GitHub(ProofAdapter):
    namespace = "github"
    label = "GitHub"
    where = (
        "your GitHub bio, website field, your profile README (the README of the repository "
        "{id}/{id}) or a public gist"
    )
    proof_url_pattern = GIST_URL

    def sources(self, ident: str) -> list[Source]:
        login = q(ident)
        return [
            Source(
                f"https://github.com/{login}",
                "the GitHub profile",
                places=(
                    ".user-profile-bio",
                    '[itemprop="url"]',
                    '[itemprop="social"]',
                    'li[data-test-selector="profile-website-url"]',
                    ".profile-readme article.markdown-body",
                ),
            ),
            Source(
                f"https://raw.githubusercontent.com/{login}/{login}/HEAD/README.md",
                "the profile README",
                kind="text",
            ),
            Source(
                f"https://gist.github.com/{login}",
                "the list of public gists",
                places=(".gist-snippet .blob-code", ".gist-snippet .file-box"),
            ),
        ]

    def proof_url_source(self, ident: str, url: str) -> Source | None:
        match = GIST_URL.fullmatch(url.strip())
        if match is None or match.group(1).lower() != ident:
            return None
        owner = re.compile(
            rf"https://gist\.github\.com/{re.escape(ident)}/{match.group(2)}/?", re.IGNORECASE
        )
        return Source(
            match.group(0).rstrip("/"),
            "the gist",
            places=("div.file .blob-code", "div.file article.markdown-body"),
            owner_url=owner,
        )
