"""GitLab: the profile's bio, and the profile README (the README of `name/name`)."""

from __future__ import annotations

from registry_service.claims.proofs.base import META_DESCRIPTIONS, ProofAdapter, Source, q


class GitLab(ProofAdapter):
    namespace = "gitlab"
    label = "GitLab"
    where = "your GitLab bio or your profile README (the README of the project {id}/{id})"

    def sources(self, ident: str) -> list[Source]:
        name = q(ident)
        return [
            Source(
                f"https://gitlab.com/{name}",
                "the GitLab profile",
                places=(*META_DESCRIPTIONS, ".profile-user-bio", '[itemprop="description"]'),
            ),
            Source(
                f"https://gitlab.com/{name}/{name}/-/raw/HEAD/README.md",
                "the profile README",
                kind="text",
            ),
        ]
